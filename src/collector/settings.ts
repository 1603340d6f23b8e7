/**
 * A cluster's collection settings (the `collection` JSON of its registry row), with defaults
 * (SPEC §7): a sample every 60 s, 15-minute intervals, every source on.
 */
import { z } from 'zod';
import { parseDuration } from '../domain/duration.js';
import { invalidArgument } from '../domain/errors.js';

const HOUR_MS = 3_600_000;

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      try {
        return parseDuration(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (e.g. 60s, 15m, 14d)` });
        return z.NEVER;
      }
    });

/** A century: longer keeps everything all the same, and "now − retention" stays a valid time. */
const MAX_RETENTION_MS = 36_500 * 86_400_000;

/**
 * How long something is kept: a negative one would delete what the ledger has yet to read (or
 * pod detail of intervals not yet closed), and one beyond any date fails every cleanup.
 */
const retention = (fallback: string) =>
  duration(fallback).refine((ms) => ms >= 0 && ms <= MAX_RETENTION_MS, {
    message: 'must be from 0 to 36500d (a century)',
  });

export const collectionSettingsSchema = z
  .object({
    sampleEvery: duration('60s'),
    interval: duration('15m'),
    /** metrics.k8s.io; the inventory is always read. */
    metrics: z.boolean().default(true),
    /** The kubelet Summary API through the node proxy. */
    summary: z.boolean().default(true),
    /**
     * List PVCs (storage) and Services (LoadBalancer hours). A cluster that refuses a list while
     * it is on has a gap for what it gives; off, it is not asked for: 0 and no gap.
     */
    storage: z.boolean().default(true),
    loadBalancers: z.boolean().default(true),
    /**
     * Watch pods, claims and services between two inventories, for the final state of those
     * deleted before the next one (sources/departures.ts); without it, or while a watch is
     * refused, lists alone are used.
     */
    watch: z.boolean().default(true),
    /**
     * Samples are stored and integrated in this many shards (by namespace), so that closing an
     * interval holds one shard's samples at a time. Change it only between intervals.
     */
    shards: z.number().int().min(1).max(256).default(8),
    /** Objects per page when listing the inventory (as kubectl's default). */
    pageSize: z.number().int().min(1).max(10_000).default(500),
    /** Nodes whose Summary API is read at once. */
    summaryConcurrency: z.number().int().min(1).max(64).default(8),
    rawRetention: retention('30m'),
    podDetailRetention: retention('14d'),
    /** Accept an `http://` API server (a simulator started with --plain-http). */
    allowInsecureHttp: z.boolean().default(false),
  })
  .strict();

export type CollectionSettings = z.output<typeof collectionSettingsSchema>;

export function collectionSettings(json: unknown): CollectionSettings {
  const parsed = collectionSettingsSchema.safeParse(json ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidArgument(
      `invalid collection settings: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      'see docs/collection.md for the settings and their defaults',
    );
  }
  const s = parsed.data;
  if (HOUR_MS % s.interval !== 0 || s.interval < 60_000) {
    throw invalidArgument(
      `invalid collection interval ${s.interval / 60_000} min`,
      'use a length that divides an hour: 1, 5, 10, 15, 20, 30 or 60 minutes',
    );
  }
  if (s.sampleEvery < 1_000 || s.sampleEvery > s.interval) {
    const why =
      s.sampleEvery < 1_000 ? 'under a second' : `longer than the interval (${s.interval / 60_000} min)`;
    throw invalidArgument(
      `invalid sampleEvery ${s.sampleEvery / 1_000}s: ${why}`,
      'sample at least once per interval and at most once a second (default 60s)',
    );
  }
  return s;
}
