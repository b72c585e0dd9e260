/** The API keys quorumd serves, with Kafka's numbers (the `apiKey` of each message schema). */
export const ApiKey = {
  Metadata: 3,
  CreateTopics: 19,
  DeleteTopics: 20,
  ApiVersions: 18,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DescribeQuorum: 55,
  DescribeCluster: 60,
  AddRaftVoter: 80,
  RemoveRaftVoter: 81,
  UpdateRaftVoter: 82,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];
