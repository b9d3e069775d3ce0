export {
  createSecretBox,
  keyIdOf,
  SEALED_PREFIX,
  type SecretBox,
  SecretBoxError,
  type SecretBoxErrorCode,
  secretBoxFromConfig,
} from './secret-box';
