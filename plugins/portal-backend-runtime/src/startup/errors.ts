import { CustomErrorBase } from '@backstage/errors';

/**
 * The configuration or its surroundings are not fit to start on. The message
 * names the setting to fix; it is printed to the operator, never served.
 */
export class StartupRefusedError extends CustomErrorBase {}
