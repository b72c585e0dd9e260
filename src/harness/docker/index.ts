/**
 * The Docker side's public face: an engine that answers, the quorumd image, and cleanup of
 * what the project left in the engine.
 */
export { ensureDockerEngine, DockerEngineUnavailableError, type EngineStatus } from './engine.js';
export { ensureQuorumdImage, type QuorumdImageOptions } from './quorumd-image.js';
export { ensureBaseImage, type BaseRecipe, type BaseRecipeChoice } from './base-image.js';
export { removeStaleResources, removeRunResources, listLabelledResources } from './resource-labels.js';
export type { ProgressLog } from './docker-cli.js';
