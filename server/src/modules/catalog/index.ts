// What other modules may import from catalog.
export { ensureCatalog, seedCatalog, loadStadiums, loadTeams } from './catalog.seed.ts';
export {
  createCatalogService,
  CATALOG_CACHE_NAMESPACE,
  DEMO_NOTICE,
  GAMES_CACHE_NAMESPACE,
  gameChangeNamespaces,
  type CatalogService,
} from './catalog.service.ts';
export { catalogRoutes } from './catalog.routes.ts';
export { isGameOnSale, onSaleUntil, type GameTiming } from './game-rules.ts';
export {
  awayTeamOf,
  findGameSummaries,
  findGameSummary,
  homeTeamOf,
  stadiumOf,
  summarizeGames,
  toSeatArea,
  toStadium,
  toTeam,
} from './catalog.mapping.ts';
export {
  findAreasOfStadium,
  findGameTimes,
  joinTeamsAndStadium,
  lockGame,
  newGameRow,
  selectGames,
  updateGameSchedule,
  type GameRow,
  type GameTimes,
  type NewGameFields,
} from './catalog.repository.ts';
export {
  cpblScheduleUrl,
  fetchCpblGames,
  importCpblSchedule,
  importSchedule,
  importScheduleCsv,
  IMPORTABLE_KINDS,
  parseCpblGames,
  parseMonths,
  parseScheduleCsv,
  type FetchLike,
  type GameFields,
  type ImportedChange,
  type ImportHooks,
  type ImportableKind,
  type ImportReport,
  type ParsedSchedule,
  type ScheduleRow,
} from './schedule-import.ts';
export type {
  GameDetail,
  GameSummary,
  SeatArea,
  Stadium,
  Team,
} from '../../../../shared/contracts/catalog.ts';
