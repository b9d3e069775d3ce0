export * from './definitions';
export * from './search-attributes';
