/**
 * Registers tfjs's gradient functions. tfjs-core's Node.js bundle registers none (its gradients ship
 * only as bundler-style ES modules Node cannot load); the `@tensorflow/tfjs` union bundle registers
 * them all into the global gradient registry tfjs-core reads. Import this module once, for its side
 * effect, before differentiating (training, gradient-based proxies); inference does not need it.
 */
import '@tensorflow/tfjs';
