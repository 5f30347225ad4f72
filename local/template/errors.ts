import { TwinError } from '../errors';

/**
 * A template the twin cannot deploy. CloudFormation answers a bad template with ValidationError; the
 * message starts with what is wrong (`UnsupportedResource: MyApi (AWS::ApiGatewayV2::Api) …`).
 */
export const templateError = (kind: string, message: string): TwinError =>
  new TwinError('ValidationError', `${kind}: ${message}`);
