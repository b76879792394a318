import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { OperatorDependencies } from './operator-dependencies.js';
import { OperatorModule } from './operator.module.js';
import { Operator } from './operator.js';

export interface RunningOperator {
  readonly app: INestApplicationContext;
  readonly operator: Operator;
}

/** Builds the NestJS application context for the operator (not started yet). */
export async function createOperator(deps: OperatorDependencies): Promise<RunningOperator> {
  const app = await NestFactory.createApplicationContext(OperatorModule.forRoot(deps), { logger: false, abortOnError: false });
  return { app, operator: app.get(Operator) };
}
