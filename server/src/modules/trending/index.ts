// What other modules may import from trending (trending games and market stats).
export {
  computeDemand,
  DECAY_PER_DAY,
  RESERVATION_WEIGHT,
  rankGames,
  saleWeight,
  salesWindowStart,
  TRADED_STATUSES,
  type DemandRows,
  type GameDemand,
} from './demand.ts';
export {
  createTrendingService,
  STATS_NAMESPACE,
  TRENDING_NAMESPACE,
  trendingRefreshJob,
  type TrendingService,
} from './trending.service.ts';
export { trendingRoutes } from './trending.routes.ts';
