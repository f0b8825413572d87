/**
 * Upper bounds on what a user can ask for. Without them a space file, a device file or a flag could
 * ask for work that runs until killed (10^6 layers, 10^12 evaluations) or memory that cannot exist
 * (a 10^9-channel convolution); with them such input is refused up front: an `InputError`, exit 2,
 * naming the file and JSON path or the flag and the limit. Each value is far above every published
 * space, device and run (docs/limits.md lists them with the reasons).
 */

// ---- space files (checked by each family's JSON Schema) -------------------------------------

/** Channels of any layer (built-in spaces: at most 1,984). */
export const MAX_CHANNELS = 16_384;
/** Input channels (3 for images). */
export const MAX_INPUT_CHANNELS = 64;
/** Input height, width and resolution in pixels (built-in: at most 224). */
export const MAX_INPUT_SIZE = 4096;
/** Convolution kernel size (built-in: at most 7). */
export const MAX_KERNEL = 15;
/** Stride of a layer or stage (built-in: at most 2). */
export const MAX_STRIDE = 16;
/** Output classes (ImageNet-21k has 21,841). */
export const MAX_CLASSES = 100_000;
/** Layers of one stage, block or cell group; also the deepest OFA stage (built-in: at most 5). */
export const MAX_STAGE_LAYERS = 64;
/** Stages (or skeleton blocks, or stage widths) of a space (built-in: at most 7). */
export const MAX_STAGES = 64;
/** Fixed stem or head convolutions of a chain space. */
export const MAX_FIXED_LAYERS = 16;
/** Expansion ratio of an inverted-residual block (built-in: at most 6). */
export const MAX_EXPAND = 16;
/** Groups of a grouped 1×1 convolution (built-in: at most 2). */
export const MAX_GROUPS = 64;
/** Choices of one decision, block types of a space (built-in: at most 9). */
export const MAX_CHOICES = 256;
/** Bytes of a JSON file hwnas reads (space, device, LUT files are kilobytes; tables are vendored). */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;
/**
 * Nesting depth of JSON hwnas reads (its own files nest at most 9 deep: the suite schema): deeper
 * input is refused before any recursive code (schema messages, hashing) can run out of stack on it.
 */
export const MAX_JSON_DEPTH = 64;

// ---- model graphs (checked while a graph is built, for every architecture) -------------------

/**
 * Elements of one tensor (a weight, or an activation of one image): 2^28 float32 values are 1 GiB.
 * Beyond it typed arrays cannot be allocated and the ONNX file would pass protobuf's 2 GiB limit.
 */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;
/** Trainable parameters of one model (2^28 ≈ 268 M, 1 GiB of float32 weights: one ONNX file). */
export const MAX_MODEL_PARAMS = 2 ** 28;
/**
 * Multiply-accumulates of one model: 10^13, a thousand times the largest ImageNet CNNs (~10^10).
 * Well below 2^53, so counts are exact integers.
 */
export const MAX_MODEL_FLOPS = 1e13;
/** Nodes of one model graph (built-in: at most ~400). */
export const MAX_GRAPH_NODES = 100_000;

// ---- device files ---------------------------------------------------------------------------

/** Intra-op threads of a measured device: more than the largest machines have (2 × 192 cores × 2). */
export const MAX_THREADS = 1024;
/** `warmupMs` and `minTimeMs` of a measured device, and where a warm-up or timed phase stops whatever its run count: one minute per architecture and phase. */
export const MAX_TIMING_MS = 60_000;
/** `iterations` and `warmupRuns` of a measured device. */
export const MAX_TIMED_RUNS = 100_000;
/** `timing.minRounds` of a measured device, and `profile --rounds`. */
export const MAX_ROUNDS = 1000;

// ---- results ---------------------------------------------------------------------------------

/**
 * Largest latency a result may carry (journal line, worker result): one day per inference. A timed
 * phase stops at one minute, table and LUT values are milliseconds; 1e308 ms is a forged number.
 */
export const MAX_LATENCY_MS = 86_400_000;

// ---- flags ----------------------------------------------------------------------------------

/** Architectures one command evaluates or lists: `--budget` per device, `eval --random/--all`. */
export const MAX_EVALUATIONS = 1_000_000;
/** Training epochs a multi-fidelity run asks of one candidate (`--max-epochs`; a full CIFAR training is a few hundred). */
export const MAX_FIDELITY_EPOCHS = 100_000;
/** Bytes of an `--archs-file` (a million arch strings of 200 characters). */
export const MAX_ARCHS_FILE_BYTES = 256 * 1024 * 1024;
/** ONNX files one `hwnas export` writes (each is megabytes). */
export const MAX_EXPORTS = 100_000;
/** ONNX files one `hwnas measure` times. */
export const MAX_MEASURE_FILES = 10_000;
/** Bytes of an ONNX file `hwnas measure` reads: protobuf's 2 GiB limit (larger models keep weights in external files, which hwnas does not read). */
export const MAX_ONNX_FILE_BYTES = 2 ** 31 - 1;
/** Whole models `hwnas profile --samples` measures (each twice per round). */
export const MAX_PROFILE_SAMPLES = 10_000;
/** Population of `hwnas moo` (NSGA-II sorting is quadratic in it). */
export const MAX_MOO_POPULATION = 10_000;
/** Evaluations of `hwnas moo` (population × generations). */
export const MAX_MOO_EVALUATIONS = 10_000_000;
