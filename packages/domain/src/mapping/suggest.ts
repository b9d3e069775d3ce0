import { normalizeHeader } from './headers';
import { looksLikeHtml } from './html-text';
import { guessNumberFormat, looksLikePrices, type NumberFormat, PLAIN_NUMBERS } from './number-format';
import { DEFAULT_MAPPING_OPTIONS, type MappingOptions } from './options';
import { GENERIC_SYNONYMS, PLATFORM_PROFILES, type PlatformProfile } from './platforms';
import { MAPPING_TARGETS, type MappingTarget, type SuggestedMapping } from './targets';
import { ACTIVE_VOCABULARIES, type ActiveVocabulary, vocabularyOf } from './vocabularies';

/** A source column as auto-match sees it: its header and some of its first non-empty values. */
export type SampledColumn = { header: string; samples: readonly string[] };

export type MappingSuggestion = {
  /** The shop system whose export the headers match, if any. */
  platform: string | null;
  suggestedMapping: SuggestedMapping;
  suggestedOptions: MappingOptions;
  /** One line per suggestion: "Variant SKU → sku: Shopify variant SKU". */
  reasons: string[];
};

// Vocabularies a column's values alone may reveal: plain 1/0 or y/n columns are too common to mean "active".
const TELLING_VOCABULARIES: ActiveVocabulary[] = ['status', 'published', 'visible_hidden', 'true_false', 'yes_no'];
const NOT_LIST_PRICE = /\b(sale|special|compare|cost|min|max|shipping|tax)\b/;

/**
 * Auto-match: by the export a file's headers come from (Shopify, WooCommerce, BigCommerce,
 * Magento/Adobe Commerce, Amazon flat files, Google Merchant Center), then by header synonyms,
 * then by values (a column of prices, a column of statuses). The list price wins over a sale price.
 */
export function suggestMapping(columns: readonly SampledColumn[]): MappingSuggestion {
  const normalized = columns.map((column) => normalizeHeader(column.header));
  const taken = new Set<number>();
  const mapping: SuggestedMapping = { sku: null, name: null, description: null, price: null, active: null };
  const reasons: string[] = [];
  const columnOf = (target: MappingTarget): SampledColumn | undefined => {
    const header = mapping[target];
    return typeof header === 'string' ? columns.find((column) => column.header === header) : undefined;
  };
  const take = (target: MappingTarget, index: number, reason: string) => {
    const column = columns[index];
    if (!column || taken.has(index)) return false;
    taken.add(index);
    mapping[target] = column.header;
    reasons.push(`${column.header} → ${target}: ${reason}`);
    return true;
  };
  const find = (header: string) => normalized.findIndex((name, index) => name === header && !taken.has(index));

  const profile = PLATFORM_PROFILES.find((candidate) =>
    candidate.markers.every((marker) => normalized.includes(marker)),
  );
  for (const target of MAPPING_TARGETS) {
    const pick = profile?.targets[target];
    for (const header of pick?.headers ?? []) {
      if (pick && take(target, find(header), pick.reason)) break;
    }
  }
  for (const target of MAPPING_TARGETS) {
    if (mapping[target] !== null) continue;
    for (const header of GENERIC_SYNONYMS[target]) {
      const index = find(header);
      const samples = columns[index]?.samples ?? [];
      if (target === 'active' && samples.length > 0 && vocabularyOf(samples) === null) continue;
      if (index >= 0 && take(target, index, `the header names the ${target}`)) break;
    }
  }
  sniffValues(columns, normalized, mapping, take);

  const options: MappingOptions = { ...DEFAULT_MAPPING_OPTIONS };
  const active = columnOf('active');
  if (active) {
    options.activeValues = activeVocabularyFor(active, profile);
    reasons.push(`${active.header}: active read as ${ACTIVE_VOCABULARIES[options.activeValues].label}`);
  }
  const price = columnOf('price');
  if (price) {
    options.priceFormat = guessNumberFormat(price.samples);
    reasons.push(`${price.header}: prices read with ${describeFormat(options.priceFormat)}`);
  }
  const description = columnOf('description');
  if (description && looksLikeHtml(description.samples)) {
    reasons.push(`${description.header}: holds HTML, kept as it is (choose plain text to convert it)`);
  }
  const group = profile?.group;
  const groupColumn = group && columns[normalized.indexOf(normalizeHeader(group.column))];
  if (group && groupColumn) {
    const idColumn = group.idColumn === null ? undefined : columns[normalized.indexOf(normalizeHeader(group.idColumn))];
    options.group = { column: groupColumn.header, by: group.by, idColumn: idColumn?.header ?? null };
    reasons.push(`${groupColumn.header}: ${group.reason}`);
  }
  const optionColumns = (profile?.optionColumns ?? []).flatMap((header) => {
    const column = columns[normalized.indexOf(header)];
    return column ? [column.header] : [];
  });
  if (optionColumns.length > 0) {
    options.variantName = { optionColumns };
    reasons.push(`${optionColumns.join(', ')}: a variant's name adds its option values ("T-Shirt — Green / M")`);
  }
  return { platform: profile?.platform ?? null, suggestedMapping: mapping, suggestedOptions: options, reasons };
}

/** For targets still open: a column of prices is a price; a column of status words is the active state. */
function sniffValues(
  columns: readonly SampledColumn[],
  normalized: readonly string[],
  mapping: SuggestedMapping,
  take: (target: MappingTarget, index: number, reason: string) => boolean,
) {
  if (mapping.price === null) {
    const index = columns.findIndex((column, i) => {
      const header = normalized[i] ?? '';
      if (!header.includes('price') || NOT_LIST_PRICE.test(header)) return false;
      return looksLikePrices(column.samples, guessNumberFormat(column.samples));
    });
    if (index < 0 || !take('price', index, 'the values look like prices')) {
      const withCurrency = columns.findIndex(
        (column) =>
          column.samples.length > 0 &&
          column.samples.every((sample) => /\p{Sc}|\b[A-Z]{3}\b/u.test(sample)) &&
          looksLikePrices(column.samples, guessNumberFormat(column.samples)),
      );
      take('price', withCurrency, 'the values look like prices with a currency');
    }
  }
  if (mapping.active === null) {
    const index = columns.findIndex((column) => {
      const vocabulary = vocabularyOf(column.samples);
      return vocabulary !== null && TELLING_VOCABULARIES.includes(vocabulary);
    });
    const vocabulary = vocabularyOf(columns[index]?.samples ?? []);
    if (vocabulary) take('active', index, `the values look like a status (${ACTIVE_VOCABULARIES[vocabulary].label})`);
  }
}

function activeVocabularyFor(column: SampledColumn, profile: PlatformProfile | undefined): ActiveVocabulary {
  const header = normalizeHeader(column.header);
  const known = profile?.activeValues?.find((entry) => entry.header === header)?.vocabulary;
  const words: Readonly<Record<string, boolean>> | undefined = known && ACTIVE_VOCABULARIES[known].words;
  if (
    known &&
    words &&
    column.samples.every((sample) => sample.trim().toLowerCase() in words || sample.trim() === '')
  ) {
    return known;
  }
  return vocabularyOf(column.samples) ?? known ?? 'true_false';
}

function describeFormat(format: NumberFormat): string {
  if (format.decimal === PLAIN_NUMBERS.decimal && format.thousands === PLAIN_NUMBERS.thousands) {
    return 'decimal point, no thousands separator';
  }
  const decimal = format.decimal === ',' ? 'decimal comma' : 'decimal point';
  return format.thousands === ''
    ? `${decimal}, no thousands separator`
    : `${decimal}, thousands separator "${format.thousands}"`;
}
