/**
 * Every AWS API action this package calls, as IAM actions. The controller's IAM policy must
 * allow each of them; a test proves the list matches the code (a scan of the commands and
 * paginators in src, and a recording of the calls the integration tests make).
 */
export const AWS_ACTIONS = [
  'ec2:CreateFleet',
  'ec2:CreateLaunchTemplate',
  'ec2:DeleteLaunchTemplate',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSpotPriceHistory',
  'ec2:DescribeSubnets',
  'ec2:TerminateInstances',
  'iam:AddRoleToInstanceProfile',
  'iam:CreateInstanceProfile',
  'iam:DeleteInstanceProfile',
  'iam:GetInstanceProfile',
  'iam:RemoveRoleFromInstanceProfile',
  'pricing:GetProducts',
  'sqs:DeleteMessage',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
  'ssm:GetParameter',
] as const;

export type AwsAction = (typeof AWS_ACTIONS)[number];

/**
 * Permissions the calls above need besides their own action (IAM authorizes them as part of
 * the call), with the reason. A policy must grant these too.
 */
export const AWS_IMPLIED_ACTIONS: Readonly<Record<string, string>> = {
  'ec2:RunInstances': 'CreateFleet launches the instances through RunInstances',
  'ec2:CreateTags': 'CreateFleet, CreateLaunchTemplate tag their resources on create',
  'iam:PassRole': "launching with the instance profile passes the node role to EC2",
  'iam:TagInstanceProfile': 'CreateInstanceProfile is called with tags',
};
