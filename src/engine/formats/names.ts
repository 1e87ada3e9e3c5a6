/**
 * The built-in formats' ids and names, in FORMATS' order, as plain data (a unit test holds them equal): the page's
 * format menu needs no parser, and FORMATS would bring the catalog's regexes, compiled at load, and their engines
 * (re2js, redos-detector) into the main thread.
 */
export const FORMAT_NAMES: readonly { readonly id: string; readonly name: string }[] = [
  {
    id: 'syslog-5424',
    name: 'syslog (RFC 5424)',
  },
  {
    id: 'access-log',
    name: 'access log (common / combined)',
  },
  {
    id: 'apache-error',
    name: 'Apache error log',
  },
  {
    id: 'nginx-error',
    name: 'nginx error log',
  },
  {
    id: 'k8s-cri',
    name: 'Kubernetes container log (CRI)',
  },
  {
    id: 'postgresql',
    name: 'PostgreSQL',
  },
  {
    id: 'mysql',
    name: 'MySQL / MariaDB error log',
  },
  {
    id: 'redis',
    name: 'Redis',
  },
  {
    id: 'windows-cbs',
    name: 'Windows CBS',
  },
  {
    id: 'spring-boot',
    name: 'Spring Boot',
  },
  {
    id: 'zookeeper',
    name: 'ZooKeeper',
  },
  {
    id: 'kafka',
    name: 'Kafka',
  },
  {
    id: 'klog',
    name: 'klog / glog',
  },
  {
    id: 'logcat',
    name: 'Android logcat',
  },
  {
    id: 'log4j',
    name: 'log4j (Hadoop, Java)',
  },
  {
    id: 'logback',
    name: 'logback (Java)',
  },
  {
    id: 'python',
    name: 'Python logging',
  },
  {
    id: 'spark',
    name: 'Spark (two-digit year)',
  },
  {
    id: 'hdfs',
    name: 'HDFS (compact date)',
  },
  {
    id: 'dmesg',
    name: 'dmesg (kernel ring buffer)',
  },
  {
    id: 'dmesg-t',
    name: 'dmesg -T (human-readable times)',
  },
  {
    id: 'syslog-3164',
    name: 'syslog (RFC 3164, BSD)',
  },
  {
    id: 'json',
    name: 'JSON lines',
  },
  {
    id: 'logfmt',
    name: 'logfmt',
  },
  {
    id: 'iso-level-service',
    name: 'ISO time, level, service, message',
  },
  {
    id: 'epoch',
    name: 'epoch timestamp first',
  },
  {
    id: 'generic',
    name: 'timestamp and level (generic)',
  },
];
