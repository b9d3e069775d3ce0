import {
  type ColumnMapping,
  columnMappingSchema,
  headerListSchema,
  type MappingOptions,
  mappingOptionsSchema,
} from '@catalog/domain';
import { toDate } from '../auth/timestamps';
import type { Database } from '../orm';

/** A remembered mapping: what was last applied to files with this header signature. */
export type MappingPresetRecord = {
  id: string;
  name: string;
  signature: string;
  headers: string[];
  mapping: ColumnMapping;
  options: MappingOptions;
  createdAt: Date;
  updatedAt: Date;
};

type PresetRow = {
  id: string;
  name: string;
  signature: string;
  headers: unknown;
  mapping: unknown;
  options: unknown;
  created_at: string;
  updated_at: string;
};

const COLUMNS = 'id, name, signature, headers, mapping, options, created_at, updated_at';

const toPreset = (row: PresetRow): MappingPresetRecord => ({
  id: row.id,
  name: row.name,
  signature: row.signature,
  headers: headerListSchema.parse(row.headers),
  mapping: columnMappingSchema.parse(row.mapping),
  options: mappingOptionsSchema.parse(row.options),
  createdAt: toDate(row.created_at),
  updatedAt: toDate(row.updated_at),
});

export type SavedPreset = Pick<MappingPresetRecord, 'id' | 'name' | 'signature' | 'headers' | 'mapping' | 'options'>;

export function createMappingPresetRepository(db: Database) {
  const { pool } = db;
  return {
    /** One preset per signature: applying a mapping again replaces it and keeps the preset's name. */
    async save(preset: SavedPreset): Promise<MappingPresetRecord> {
      const { rows } = await pool.query<PresetRow>(
        `insert into mapping_presets (id, name, signature, headers, mapping, options)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (signature) do update
           set mapping = excluded.mapping, options = excluded.options, updated_at = now()
         returning ${COLUMNS}`,
        [
          preset.id,
          preset.name,
          preset.signature,
          JSON.stringify(preset.headers),
          JSON.stringify(preset.mapping),
          JSON.stringify(preset.options),
        ],
      );
      const row = rows[0];
      if (!row) throw new Error('insert into mapping_presets returned no row');
      return toPreset(row);
    },

    async findBySignature(signature: string): Promise<MappingPresetRecord | null> {
      const { rows } = await pool.query<PresetRow>(`select ${COLUMNS} from mapping_presets where signature = $1`, [
        signature,
      ]);
      return rows[0] ? toPreset(rows[0]) : null;
    },

    async list(): Promise<MappingPresetRecord[]> {
      const { rows } = await pool.query<PresetRow>(
        `select ${COLUMNS} from mapping_presets order by updated_at desc, id`,
      );
      return rows.map(toPreset);
    },

    async rename(id: string, name: string): Promise<MappingPresetRecord | null> {
      const { rows } = await pool.query<PresetRow>(
        `update mapping_presets set name = $2, updated_at = now() where id = $1 returning ${COLUMNS}`,
        [id, name],
      );
      return rows[0] ? toPreset(rows[0]) : null;
    },

    async remove(id: string): Promise<boolean> {
      const { rowCount } = await pool.query(`delete from mapping_presets where id = $1`, [id]);
      return (rowCount ?? 0) > 0;
    },
  };
}
export type MappingPresetRepository = ReturnType<typeof createMappingPresetRepository>;
