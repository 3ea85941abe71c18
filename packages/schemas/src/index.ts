/**
 * JSON schemas that several packages need and no npm package publishes.
 *
 * @packageDocumentation
 */
export { ROUTE_SCHEMA } from './routeSchema';
