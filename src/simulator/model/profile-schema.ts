/**
 * Offsets, quantities and usage profiles of the scenario format (SPEC §8). Offsets and durations
 * are strings such as `90m` or numbers of seconds, whole seconds; quantities are Kubernetes
 * quantity strings or numbers.
 */
import { z } from 'zod';
import { parseDuration } from '../../domain/duration.js';
import { isQuantity, quantityNumber } from './units.js';

const durationText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  let ms: number;
  try {
    ms = typeof v === 'number' ? Math.round(v * 1000) : parseDuration(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (write e.g. 90s, 15m, 1h30m or 2d)` });
    return z.NEVER;
  }
  if (ms % 1000 !== 0) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a whole number of seconds` });
    return z.NEVER;
  }
  return ms;
});
/** A non-negative offset or span in milliseconds (whole seconds). */
export const offset = durationText.refine((ms) => ms >= 0, 'must not be negative');
export const positive = durationText.refine((ms) => ms > 0, 'must be longer than zero');

export const quantity = z
  .union([z.string(), z.number()])
  .refine((v) => isQuantity(v), { message: 'is not a Kubernetes quantity (e.g. 250m, 2, 512Mi, 1Gi)' })
  .refine((v) => !isQuantity(v) || quantityNumber(v) >= 0, { message: 'must not be negative' });

const profileObject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), value: quantity }).strict(),
  z
    .object({
      kind: z.literal('sine'),
      base: quantity,
      amplitude: quantity,
      period: positive,
      phase: offset.optional(),
    })
    .strict()
    .refine((p) => quantityNumber(p.amplitude) <= quantityNumber(p.base), {
      message: 'amplitude must not exceed base (usage cannot go below zero)',
      path: ['amplitude'],
    }),
  z
    .object({
      kind: z.literal('square'),
      low: quantity,
      high: quantity,
      period: positive,
      duty: z.number().min(0).max(1).optional(),
      phase: offset.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('ramp'), from: quantity, to: quantity, over: positive }).strict(),
  z
    .object({
      kind: z.literal('randomWalk'),
      start: quantity,
      step: quantity,
      min: quantity,
      max: quantity,
      interval: positive.optional(),
    })
    .strict()
    .refine((p) => quantityNumber(p.min) <= quantityNumber(p.max), {
      message: 'min must not exceed max',
      path: ['max'],
    })
    .refine(
      (p) =>
        quantityNumber(p.min) <= quantityNumber(p.start) && quantityNumber(p.start) <= quantityNumber(p.max),
      { message: 'start must lie between min and max', path: ['start'] },
    ),
  z
    .object({
      kind: z.literal('spikes'),
      base: quantity,
      height: quantity,
      every: positive,
      duration: positive,
    })
    .strict()
    .refine((p) => p.duration <= p.every, {
      message: 'duration must not exceed every (one spike per window of every)',
      path: ['duration'],
    }),
]);
export const profileSchema = z.union([quantity, profileObject]);
export type ProfileInput = z.output<typeof profileSchema>;
