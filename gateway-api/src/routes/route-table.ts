import type { TransactionName } from '@careledger/contract';
import { clinicalRoutes } from './clinical-routes';
import { consentRoutes } from './consent-routes';
import { news2Routes } from './news2-routes';
import { registryRoutes } from './registry-routes';
import type { RouteSpec } from './route-spec';

/** Every endpoint of /api/v1 that runs a transaction. */
export const routeTable: readonly RouteSpec[] = [
  ...registryRoutes,
  ...clinicalRoutes,
  ...news2Routes,
  ...consentRoutes,
];

/**
 * Transactions deliberately not exposed over REST: the registry is bootstrapped by the network,
 * and every read of another organisation's patient makes its access request itself.
 */
export const unexposedTransactions: readonly TransactionName[] = [
  'Organizations:bootstrap',
  'AccessLog:request',
];
