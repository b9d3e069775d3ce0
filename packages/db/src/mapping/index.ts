export * from './preset-repository';
export * from './upload-repository';
