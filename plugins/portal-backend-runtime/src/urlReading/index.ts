export { guardedUrlReaderServiceFactory } from './guardedUrlReaderServiceFactory';
