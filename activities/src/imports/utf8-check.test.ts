import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { test } from 'node:test';
import { Utf8Check } from './utf8-check';

/** Feeds `bytes` in chunks of `size`: the file offset of the first broken byte, 'cut' for a truncated end, or 'ok'. */
function check(bytes: Buffer, size: number): number | 'cut' | 'ok' {
  const utf8 = new Utf8Check();
  for (let at = 0; at < bytes.length; at += size) {
    const bad = utf8.write(bytes.subarray(at, at + size));
    if (bad !== -1) return at + bad;
  }
  return utf8.end() ? 'ok' : 'cut';
}

const text = Buffer.from('a,"ü; 日本",🚀\nprice,é\n');

test('valid text split at every byte, whatever the chunk size', () => {
  for (let size = 1; size <= text.length; size++) assert.equal(check(text, size), 'ok', `chunks of ${size}`);
});

test('a broken byte anywhere is found, in the chunk that holds it', () => {
  for (const [at, byte] of [
    [0, 0xff],
    [4, 0x41],
    [8, 0x41],
    [17, 0xc0],
    [text.length - 2, 0xc0],
  ] as const) {
    const broken = Buffer.from(text);
    broken[at] = byte;
    assert.equal(isUtf8(broken), false);
    for (let size = 1; size <= broken.length; size++) {
      const found = check(broken, size);
      assert.equal(typeof found, 'number', `byte ${at}, chunks of ${size}`);
      // Reported at the broken byte, or at the start of the character it breaks.
      assert.ok((found as number) <= at && (found as number) >= at - 3, `byte ${at}, chunks of ${size}: ${found}`);
    }
  }
});

test('a file that ends inside a character is cut short, not broken', () => {
  const cut = text.subarray(0, text.indexOf(Buffer.from('🚀')) + 2);
  for (let size = 1; size <= cut.length; size++) assert.equal(check(cut, size), 'cut', `chunks of ${size}`);
});

test('an overlong or surrogate encoding is refused, as a fatal decoder refuses it', () => {
  for (const bad of [
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
  ]) {
    const bytes = Buffer.concat([Buffer.from('ab'), Buffer.from(bad), Buffer.from('cd')]);
    for (let size = 1; size <= bytes.length; size++) {
      const found = check(bytes, size);
      // At the character's start, or at the byte that proves it broken when a chunk boundary splits it.
      assert.ok(
        typeof found === 'number' && found >= 2 && found < 2 + bad.length,
        `${bad} in chunks of ${size}: ${found}`,
      );
    }
  }
});
