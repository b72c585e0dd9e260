/**
 * How a Kafka or ZooKeeper JVM starts inside a node's container, and its logging configuration.
 * Three to seven JVMs share our 2 cores with the test itself, so each gets a small heap, the
 * serial collector (no parallel GC threads fighting for the cores) and a fixed processor count.
 * The same flags for every system, so their figures compare.
 */

export const kafkaLibDir = '/opt/kafka/libs';
export const zookeeperLibDir = '/opt/zookeeper/libs';

export const jvmFlags = [
  '-Xms128m',
  '-Xmx768m',
  '-XX:+UseSerialGC',
  '-XX:ActiveProcessorCount=2',
  '-Djava.awt.headless=true',
  '-Djava.net.preferIPv4Stack=true',
].join(' ');

/**
 * Kafka 4's log4j 2 configuration: every line to standard output (the container log the harness
 * collects), in Kafka's own layout. The raft client's state transitions (INFO) are what the
 * event log is read from; the request logger is quiet.
 */
export const log4j2Properties = [
  'status = warn',
  'appender.stdout.type = Console',
  'appender.stdout.name = STDOUT',
  'appender.stdout.layout.type = PatternLayout',
  'appender.stdout.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = INFO',
  'rootLogger.appenderRef.stdout.ref = STDOUT',
  'logger.request.name = kafka.request.logger',
  'logger.request.level = WARN',
  'logger.authorizer.name = kafka.authorizer.logger',
  'logger.authorizer.level = WARN',
  '',
].join('\n');

/** Kafka 3.9's reload4j (log4j 1) configuration: the same lines, the same place. */
export const log4jProperties = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.request.logger=WARN',
  'log4j.logger.kafka.authorizer.logger=WARN',
  '',
].join('\n');

/** ZooKeeper's logback configuration: INFO to its own file in the collected log directory. */
export function logbackXml(logFile: string): string {
  return [
    '<configuration>',
    '  <appender name="FILE" class="ch.qos.logback.core.FileAppender">',
    `    <file>${logFile}</file>`,
    '    <encoder><pattern>[%d{yyyy-MM-dd HH:mm:ss,SSS}] %level %msg (%logger)%n</pattern></encoder>',
    '  </appender>',
    '  <root level="INFO"><appender-ref ref="FILE"/></root>',
    '</configuration>',
    '',
  ].join('\n');
}
