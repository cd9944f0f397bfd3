// What other modules may import from recommendations.
export {
  createRecommendationsService,
  type RecommendationsService,
} from './recommendations.service.ts';
export { recommendationsRoutes } from './recommendations.routes.ts';
export { buildExperimentReport, formatExperimentReport, type ExperimentReport } from './report.ts';
export {
  evaluate,
  formatEvaluation,
  DEFAULT_EVALUATION,
  type EvaluationResult,
} from './evaluation.ts';
export { assignArm, type Arm } from './experiment.ts';
