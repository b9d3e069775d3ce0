import type { MappingPresetRecord } from '@catalog/db';

export function presentPreset(preset: MappingPresetRecord) {
  return {
    id: preset.id,
    name: preset.name,
    headers: preset.headers,
    mapping: preset.mapping,
    options: preset.options,
    createdAt: preset.createdAt.toISOString(),
    updatedAt: preset.updatedAt.toISOString(),
  };
}
