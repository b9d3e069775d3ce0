import type { MappingPresetRecord } from '@catalog/db';
import { MAPPING_TARGETS, type MappingSuggestion, type SampledColumn, suggestMapping } from '@catalog/domain';

/**
 * Auto-match for an upload; a preset saved for the same header line wins, since a person chose it.
 * The platform is still told, for the screen and the preset's default name.
 */
export function suggestionFor(
  columns: readonly SampledColumn[],
  preset: MappingPresetRecord | null,
): MappingSuggestion {
  const suggestion = suggestMapping(columns);
  if (!preset) return suggestion;
  const reasons = [`Remembered mapping "${preset.name}" (saved ${preset.updatedAt.toISOString()}) for these headers`];
  for (const target of MAPPING_TARGETS) {
    const source = preset.mapping[target];
    if (typeof source === 'string') reasons.push(`${source} → ${target}: remembered mapping`);
    else if (source !== null) reasons.push(`${target} = "${source.constant}": remembered constant`);
  }
  return { platform: suggestion.platform, suggestedMapping: preset.mapping, suggestedOptions: preset.options, reasons };
}
