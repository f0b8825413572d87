import type { TrainingBudget } from '../../accuracy/accuracy-source.ts';
import type { Genotype } from '../../space/search-space.ts';

/** What an evaluation child hosts: one measured device (its profile file) or one accuracy source. */
export type ChildHost =
  | { readonly kind: 'device'; readonly file: string }
  | { readonly kind: 'accuracy'; readonly id: string; readonly jobs: number; readonly timeoutS?: number; readonly data?: string; readonly training?: TrainingBudget };

/** One evaluation asked of the child. */
export interface ChildRequest {
  readonly type: 'eval';
  readonly id: number;
  /** Space file the worker resolved for the job, and the content hash it must still have. */
  readonly spaceFile: string;
  readonly spaceHash: string;
  readonly arch: string;
  readonly genotype: Genotype;
  readonly seed: number;
  /** Accuracy jobs: the description the coordinator's source has. */
  readonly description?: string;
  /** Accuracy jobs of a multi-fidelity rung: the training epochs. */
  readonly epochs?: number;
}

/** The child's answer: metrics, a failed candidate (an outcome), or a refusal (wrong input). */
export type ChildReply =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly ok: { metrics: Record<string, number>; info: Record<string, string | number> }; readonly busyMs: number }
  | { readonly type: 'result'; readonly id: number; readonly failed: string; readonly busyMs: number }
  | { readonly type: 'result'; readonly id: number; readonly refused: string };
