import type { EdgeCheck, StartServer } from './matrix-app';
import { startApollo } from './start-apollo';
import { startHiveGateway } from './start-hive-gateway';
import { startMercurius, startMercuriusDefaults } from './start-mercurius';
import { startYoga } from './start-yoga';

/** A server of the matrix: how to start it, and the edge checks it can add. */
export interface MatrixServer {
  /** As its `RunningServer.name`. */
  readonly name: string;
  readonly start: StartServer;
  /** Edge checks the server has a plugin for; variants with another are skipped, and listed as such. */
  readonly edgeChecks: readonly EdgeCheck[];
}

/** Every server of the matrix; the first is the reference. */
export const MATRIX_SERVERS: readonly MatrixServer[] = [
  { name: 'Apollo Server 5', start: startApollo, edgeChecks: ['none', 'reject'] },
  { name: 'GraphQL Yoga 5', start: startYoga, edgeChecks: ['none', 'reject'] },
  { name: 'Hive Gateway 2 (proxy)', start: startHiveGateway, edgeChecks: ['none'] },
  { name: 'Mercurius 16', start: startMercurius, edgeChecks: ['none'] },
  { name: 'Mercurius 16, default errorFormatter', start: startMercuriusDefaults, edgeChecks: ['none'] },
];
