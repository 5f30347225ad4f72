import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { toAwsCallFailed } from './aws-errors';

let shared: LambdaClient | undefined;
const defaultLambdaClient = (): LambdaClient => (shared ??= new LambdaClient({}));

/**
 * Hands a payload to a function without waiting for it (InvocationType Event): Lambda queues it and
 * answers 202 at once, which is what lets the chat handler answer Slack within 3 seconds.
 */
export const invokeAsync = async (
  functionName: string,
  payload: unknown,
  client: LambdaClient = defaultLambdaClient(),
): Promise<void> => {
  try {
    await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(payload)),
      }),
    );
  } catch (error) {
    throw toAwsCallFailed('lambda:Invoke', error);
  }
};
