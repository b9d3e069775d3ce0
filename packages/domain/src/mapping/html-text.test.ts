import assert from 'node:assert/strict';
import { test } from 'node:test';
import { htmlToText, looksLikeHtml } from './html-text';

test('HTML descriptions become plain text: blocks are lines, lists bullets, entities decoded', () => {
  assert.equal(
    htmlToText('<p>Soft <strong>cotton</strong> &amp; more</p><p>Line&nbsp;two<br>three</p>'),
    'Soft cotton & more\nLine two\nthree',
  );
  assert.equal(htmlToText('<ul><li>One</li><li>Two &#8211; &#x2713;</li></ul>'), '• One\n• Two – ✓');
  assert.equal(htmlToText('<style>p{}</style><!-- x --><p>Text</p>'), 'Text');
  assert.equal(htmlToText('5 < 6 and &bogus;'), '5 < 6 and &bogus;');
  assert.equal(htmlToText('&#0;'), '&#0;');
  assert.equal(htmlToText('plain text'), 'plain text');
  assert.equal(looksLikeHtml(['<p>x</p>']), true);
  assert.equal(looksLikeHtml(['5 < 6']), false);
});
