// What other modules may import from catalog.
export { seedCatalog } from './catalog.seed.ts';
