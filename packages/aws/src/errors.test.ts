import { describe, expect, it } from 'vitest';
import { AwsCallError, describeAwsError, isAuthError } from './errors.js';

const sdkError = (name: string, message: string, awsAction?: string) => Object.assign(new Error(message), { name, awsAction });

describe('describeAwsError', () => {
  it('names the denied action and what to grant', () => {
    const error = sdkError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 'ec2:CreateFleet');
    expect(isAuthError(error)).toBe(true);
    expect(describeAwsError(error)).toBe('ec2:CreateFleet was denied (UnauthorizedOperation): grant "ec2:CreateFleet" to the controller\'s IAM role');
  });

  it('keeps the code and message of other failures', () => {
    expect(describeAwsError(sdkError('InvalidSubnetID.NotFound', 'The subnet ID does not exist', 'ec2:DescribeSubnets'))).toBe(
      'ec2:DescribeSubnets failed: InvalidSubnetID.NotFound: The subnet ID does not exist',
    );
  });
});

describe('AwsCallError', () => {
  it('names the object first and keeps the SDK error as the cause', () => {
    const cause = sdkError('AccessDenied', 'denied', 'iam:CreateInstanceProfile');
    const error = new AwsCallError('EC2NodeClass default', 'creating the instance profile', cause);
    expect(error.message).toBe('EC2NodeClass default: creating the instance profile: iam:CreateInstanceProfile was denied (AccessDenied): grant "iam:CreateInstanceProfile" to the controller\'s IAM role');
    expect(error.cause).toBe(cause);
  });
});
