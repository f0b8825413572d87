import {
  MAX_CHANNELS, MAX_CHOICES, MAX_CLASSES, MAX_EXPAND, MAX_GROUPS, MAX_INPUT_CHANNELS, MAX_INPUT_SIZE, MAX_KERNEL,
  MAX_STAGE_LAYERS, MAX_STAGES, MAX_STRIDE,
} from '../limits.ts';

/**
 * JSON Schema fragments shared by the space families, each bounded by `src/limits.ts`: a space
 * file that asks for more (10^9 channels, 10^6 layers) fails validation naming its JSON path and
 * the limit, before any graph or typed array is sized from it.
 */

const int = (maximum: number) => ({ type: 'integer', minimum: 1, maximum }) as const;

export const channelsInt = int(MAX_CHANNELS);
export const kernelInt = int(MAX_KERNEL);
export const strideInt = int(MAX_STRIDE);
export const classesInt = int(MAX_CLASSES);
export const layersInt = int(MAX_STAGE_LAYERS);
export const expandInt = int(MAX_EXPAND);
export const groupsInt = int(MAX_GROUPS);
export const resolutionInt = int(MAX_INPUT_SIZE);

/** `[channels, height, width]` of the input. */
export const inputShape = {
  type: 'array',
  items: [int(MAX_INPUT_CHANNELS), int(MAX_INPUT_SIZE), int(MAX_INPUT_SIZE)],
  minItems: 3,
  maxItems: 3,
} as const;

export const spaceId = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 } as const;
export const description = { type: 'string', maxLength: 10_000 } as const;
/** A block or op name. */
export const name = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** A non-empty list of at most {@link MAX_CHOICES} items. */
export const choiceList = (items: object, unique = false) => ({ type: 'array', items, minItems: 1, maxItems: MAX_CHOICES, ...(unique && { uniqueItems: true }) });

/** A non-empty list of at most {@link MAX_STAGES} stages (or blocks, or stage widths). */
export const stageList = (items: object) => ({ type: 'array', items, minItems: 1, maxItems: MAX_STAGES });
