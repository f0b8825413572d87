/**
 * Registers every accuracy source that needs more than a table: `proxy-train` (tfjs training on
 * Fashion-MNIST) and `zero-cost:<proxy>`. They load TensorFlow.js, so commands import this module
 * only when they resolve an accuracy source; the table sources register with the registry itself.
 */
import './proxy-train.ts';
import './zero-cost/zero-cost-sources.ts';

/** Nothing to do at call time: importing this module registered the sources. */
export function registerBuiltinAccuracySources(): void {}
