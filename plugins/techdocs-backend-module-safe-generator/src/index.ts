/**
 * TechDocs generator that builds with an allowlist of mkdocs settings,
 * plugins and Markdown extensions, in a clean environment, so documentation
 * sources cannot read the backend's files or secrets.
 *
 * @packageDocumentation
 */
export { techdocsModuleSafeGenerator as default } from './module';
export { SafeMkdocsGenerator } from './SafeMkdocsGenerator';
