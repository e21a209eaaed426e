// The engine's entropy measure lives in mask/ (excerpt masking measures values the same way); detect reads it here.
export { shannonEntropy } from '../mask/entropy.js';
