/** PostgreSQL text cannot hold U+0000: input with it is refused at the edge instead of failing on insert. */
export const hasNoNul = (value: string): boolean => !value.includes('\u0000');
export const NUL_MESSAGE = 'contains a NUL character';
