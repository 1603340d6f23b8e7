import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerSimulate } from './simulate.js';
import { registerTop } from './top.js';
import { registerServe } from './serve.js';
import { registerCollect } from './collect.js';
import { registerToken } from './token.js';
import { registerMigrate } from './migrate.js';
import { registerCluster } from './cluster.js';
import { registerUsage } from './usage.js';
import { registerCosts } from './costs.js';

/** Adds one subcommand to the program. Each command lives in its own file in this folder. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

export const COMMANDS: RegisterCommand[] = [
  registerSimulate,
  registerTop,
  registerServe,
  registerCollect,
  registerToken,
  registerCosts,
  registerCluster,
  registerUsage,
  registerMigrate,
];
