import { regexFormat, type RegexFormatSpec } from './regex-format.ts';
import { twoStepFormat, type TwoStepSpec } from './two-step.ts';
import type { LineFormat } from './types.ts';

/**
 * The built-in formats described as data: regex variants with named groups, a time pattern, and real-looking
 * sample lines (tests/unit/formats-catalog.test.ts proves each sample parses as its own format and that no
 * more specific format claims it). Specificity: the more a format demands of a line, the higher.
 */

const MON = '[A-Z][a-z]{2}';
const ISO_TIME = String.raw`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?`;
/**
 * Every regex here runs on every line of files anyone may craft, so recheck's automaton checker proves each
 * free of polynomial backtracking (tests/unit/catalog-redos.test.ts). Two rewrites keep them so:
 * - a run of blanks before the message can no longer be message text (the message starts with NOT_BLANK):
 *   the run still takes every blank, but a line that fails late cannot re-split it n ways;
 * - where a repeated piece before the message could also be message text, the tail is `[\s\S]*` (or gone):
 *   it cannot fail, so nothing is retried. On lines without CR, U+2028 or U+2029 this is exactly `.*$`.
 */
const NOT_BLANK = String.raw`[^ \n\r\u2028\u2029]`;

/**
 * Formats whose one regex recheck could not prove linear in reasonable time are written as a head and a
 * sticky rest (two-step.ts): the head's words and fixed fields can match in one way only, so the split
 * changes nothing, and each half is proven in a few seconds.
 */
const ALL: (RegexFormatSpec | TwoStepSpec)[] = [
  {
    id: 'syslog-5424',
    name: 'syslog (RFC 5424)',
    specificity: 80,
    head: /^<(?<pri>\d{1,3})>1 (?<time>\S+) (?<host>\S+) (?<service>\S+) (?<procid>\S+) (?<msgid>\S+) /,
    rest: /(?<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(?<message>[\s\S]*)/y,
    time: 'iso',
    samples: [
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry',
      "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed for lonvick on /dev/pts/8",
      '<86>1 2024-01-15T10:30:45.123456+01:00 web-1 sshd 4242 - - Accepted publickey for deploy from 10.0.0.5 port 52144 ssh2',
    ],
  },
  {
    id: 'syslog-3164',
    name: 'syslog (RFC 3164, BSD)',
    specificity: 45,
    variants: [
      {
        regex: String.raw`^(?:<(?<pri>\d{1,3})>)?(?<time>${MON} [ \d]\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?<host>[^\s:]+) (?<service>[^\s:\[]+)(?:\[(?<pid>\d+)\])?: ?(?<message>.*)$`,
        time: ['MMM DD HH:mm:ss', 'iso'],
      },
    ],
    samples: [
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
      'Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)',
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      'Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch<0>(0x0)::listenerCallback - Thunderbolt HPD packet for route = 0x0 port = 11 unplug = 0',
      '2024-01-15T10:30:45.123456+01:00 web-1 nginx[812]: worker process 813 exited on signal 9',
    ],
  },
  {
    id: 'access-log',
    name: 'access log (common / combined)',
    specificity: 75,
    head: /^(?<client>\S+) (?<ident>\S+) (?<user>\S+) /,
    // whatever follows the combined fields (rt=0.003 …) is not read, so it cannot fail the line
    rest: /\[(?<time>[^\]]+)\] "(?<message>(?:[^"\\]|\\.)*)" (?<status>\d{3}) (?<bytes>\d+|-)(?: "(?<referer>(?:[^"\\]|\\.)*)" "(?<agent>(?:[^"\\]|\\.)*)")?/y,
    time: 'DD/MMM/YYYY:HH:mm:ss Z',
    samples: [
      '10.1.2.3 - - [11/Feb/2013:06:43:36 +0000] "GET /x HTTP/1.1" 200 5778 "-" "Mozilla/5.0"',
      '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
      '192.168.1.20 - - [15/Jan/2024:10:30:45 +0100] "POST /api/v1/orders HTTP/2.0" 503 154 "https://shop.example.com/cart" "curl/8.4.0"',
      '203.0.113.9 - - [15/Jan/2024:10:30:46 +0000] "GET /admin HTTP/1.1" 404 0 "-" "Mozilla/5.0 (X11; Linux x86_64)" rt=0.003',
    ],
  },
  {
    id: 'apache-error',
    name: 'Apache error log',
    specificity: 70,
    variants: [
      {
        regex: String.raw`^\[(?<time>[A-Z][a-z]{2} ${MON} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4})\] \[(?:(?<service>[\w-]*):)?(?<level>\w+)\](?: \[pid (?<pid>\d+)(?::tid (?<tid>\d+))?\])?(?: \[client (?<client>[^\]]+)\])? ?(?<message>[\s\S]*)$`,
        time: 'ddd MMM DD HH:mm:ss[.SSS] YYYY',
      },
    ],
    levels: { emerg: 'FATAL', alert: 'FATAL', crit: 'FATAL' },
    samples: [
      '[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] Directory index forbidden by rule: /var/www/html/',
      '[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties',
      '[Wed Oct 11 14:32:52.123456 2023] [core:error] [pid 1234:tid 140012345] [client 10.0.0.7:51234] AH00126: Invalid URI in request GET /%%% HTTP/1.1',
      '[Mon Jan 15 10:30:45.000001 2024] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.58 (Unix) configured -- resuming normal operations',
    ],
  },
  {
    id: 'nginx-error',
    name: 'nginx error log',
    specificity: 70,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?<level>\w+)\] (?<pid>\d+)#(?<tid>\d+): (?:\*(?<connection>\d+) )?(?<message>.*)$`,
        time: 'YYYY/MM/DD HH:mm:ss',
      },
    ],
    levels: { emerg: 'FATAL', alert: 'FATAL', crit: 'FATAL' },
    samples: [
      '2024/01/15 10:30:45 [error] 1234#1234: *5 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.5, server: localhost, request: "GET /favicon.ico HTTP/1.1"',
      '2024/01/15 10:30:46 [notice] 1#1: start worker processes',
      '2024/01/15 10:31:02 [warn] 1234#1234: *9 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream',
    ],
  },
  {
    id: 'k8s-cri',
    name: 'Kubernetes container log (CRI)',
    specificity: 65,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?<stream>stdout|stderr) (?<partial>[PF]) ?(?<message>.*)$`,
        time: 'iso',
      },
    ],
    guessLevel: true,
    samples: [
      '2024-01-15T10:30:45.123456789Z stdout F Server listening on :8080',
      '2024-01-15T10:30:46.000000001Z stderr F ERROR failed to connect to redis: dial tcp 10.0.0.9:6379: connect: connection refused',
      '2024-01-15T10:30:47.5Z stdout P {"level":"info","msg":"a long line split by the runtime',
    ],
  },
  {
    id: 'log4j',
    name: 'log4j (Hadoop, Java)',
    specificity: 55,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[,.]\d+) +(?<level>[A-Z]+) +\[(?<thread>[^\]]*)\] +(?<service>[\w.$]+)(?::| -) ?(?<message>.*)$`,
        time: 'iso',
      },
    ],
    samples: [
      '2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_1445144423722_0020_000001',
      '2015-10-18 18:01:50,353 WARN [main] org.apache.hadoop.util.NativeCodeLoader: Unable to load native-hadoop library for your platform... using builtin-java classes where applicable',
      '2024-01-15 10:30:45,123 ERROR [http-nio-8080-exec-3] com.shop.orders.OrderController - Order 1234 failed',
    ],
  },
  {
    id: 'logback',
    name: 'logback (Java)',
    specificity: 55,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[.,]\d+) \[(?<thread>[^\]]+)\] (?<level>[A-Z]+) +(?<service>[\w.$]+) - (?<message>.*)$`,
        time: 'iso',
      },
    ],
    samples: [
      '2024-01-15 10:30:45.123 [main] INFO  com.shop.Application - Started Application in 3.2 seconds',
      '2024-01-15 10:30:46.456 [pool-2-thread-1] ERROR com.shop.payments.PaymentClient - Payment provider timeout after 3000 ms',
      '2024-01-15 10:30:47.001 [scheduling-1] DEBUG c.s.inventory.StockSync - synced 42 items',
    ],
  },
  {
    id: 'spring-boot',
    name: 'Spring Boot',
    specificity: 60,
    head: new RegExp(String.raw`^(?<time>${ISO_TIME}) +(?<level>[A-Z]+) +(?<pid>\d+) --- `),
    rest: new RegExp(
      String.raw`(?:\[(?<app>[^\]]*)\] )?\[ *(?<thread>(?:[^\] ][^\]]*)?)\] (?<service>\S+) *: (?<message>.*)$`,
      'y',
    ),
    time: 'iso',
    samples: [
      '2024-01-15T10:30:45.123+01:00  INFO 12345 --- [myapp] [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 2.345 seconds (process running for 2.9)',
      '2024-01-15 10:30:45.123  INFO 12345 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 (http)',
      '2024-01-15 10:30:46.789 ERROR 12345 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception',
    ],
  },
  {
    id: 'python',
    name: 'Python logging',
    specificity: 55,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - (?<service>\S+) - (?<level>[A-Z]+) - (?<message>.*)$`,
        time: 'iso',
      },
      {
        regex: String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\] \{(?<source>[^}]+)\} (?<level>[A-Z]+) - (?<message>.*)$`,
        time: 'iso',
      },
    ],
    samples: [
      '2024-01-15 10:30:45,123 - myapp.db - INFO - connected to postgres at db:5432',
      '2024-01-15 10:30:46,456 - myapp.worker - ERROR - task 42 failed: ValueError',
      '[2024-01-15 10:30:47,789] {taskinstance.py:1138} INFO - Dependencies all met for <TaskInstance: etl.load 2024-01-15T00:00:00+00:00 [queued]>',
    ],
  },
  {
    id: 'zookeeper',
    name: 'ZooKeeper',
    specificity: 60,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - (?<level>[A-Z]+) +\[(?<thread>.*):(?<service>[\w$]+)@(?<srcline>\d+)\] - (?<message>[\s\S]*)$`,
        time: 'iso',
      },
    ],
    samples: [
      '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200',
      '2015-07-29 19:04:12,394 - WARN  [RecvWorker:188978561024:QuorumCnxManager$RecvWorker@765] - Interrupting SendWorker',
      '2015-07-29 17:41:41,536 - INFO  [main:QuorumPeerConfig@101] - Reading configuration from: /etc/zookeeper/conf/zoo.cfg',
    ],
  },
  {
    id: 'kafka',
    name: 'Kafka',
    specificity: 60,
    variants: [
      {
        regex: String.raw`^\[(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\] (?<level>[A-Z]+) (?<message>.*?)(?: \((?<service>[\w.$]+)\))?$`,
        time: 'iso',
      },
    ],
    samples: [
      '[2024-05-07 10:55:53,434] INFO [ProducerStateManager partition=ingest-3] Wrote producer snapshot at offset 1234 with 0 producer ids in 1 ms. (kafka.log.ProducerStateManager)',
      '[2024-05-07 10:55:54,001] WARN [Controller id=1] Broker 2 is not alive (kafka.controller.KafkaController)',
      '[2024-05-07 10:55:55,120] ERROR Error while appending records to ingest-3 (kafka.server.ReplicaManager)',
    ],
  },
  {
    id: 'spark',
    name: 'Spark (two-digit year)',
    specificity: 55,
    variants: [
      {
        regex: String.raw`^(?<time>\d\d/\d\d/\d\d \d\d:\d\d:\d\d) (?<level>[A-Z]+) (?<service>[\w.$]+): (?<message>.*)$`,
        time: 'YY/MM/DD HH:mm:ss',
      },
    ],
    samples: [
      '17/06/09 20:10:40 INFO executor.CoarseGrainedExecutorBackend: Registered signal handlers for [TERM, HUP, INT]',
      '17/06/09 20:10:41 WARN util.NativeCodeLoader: Unable to load native-hadoop library for your platform',
      '17/06/09 20:11:11 ERROR executor.Executor: Exception in task 0.0 in stage 1.0 (TID 1)',
    ],
  },
  {
    id: 'hdfs',
    name: 'HDFS (compact date)',
    specificity: 55,
    variants: [
      {
        regex: String.raw`^(?<time>\d{6} \d{6}) (?<pid>\d+) (?<level>[A-Z]+) (?<service>[\w.$]+): (?<message>.*)$`,
        time: 'YYMMDD HHmmss',
      },
    ],
    samples: [
      '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating',
      '081109 203807 222 INFO dfs.DataNode$PacketResponder: Received block blk_-6952295868487656571 of size 67108864 from /10.251.42.84',
      '081109 204005 35 INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864',
      '081111 081021 19 WARN dfs.DataNode: 10.251.30.6:50010:Got exception while serving blk_-2918118818249673980 to /10.251.90.64:',
    ],
  },
  {
    id: 'klog',
    name: 'klog / glog',
    specificity: 60,
    variants: [
      {
        regex: String.raw`^(?<level>[IWEF])(?<time>\d{4} \d\d:\d\d:\d\d\.\d+) +(?<thread>\d+) (?<service>[^\s:]+):(?<srcline>\d+)\] (?<message>.*)$`,
        time: 'MMDD HH:mm:ss.SSS',
      },
    ],
    samples: [
      'I0507 12:04:17.597069       1 descheduler.go:169] "Number of evicted pods" totalEvicted=0',
      'E0507 12:04:18.001234       1 reflector.go:138] k8s.io/client-go/informers/factory.go:134: Failed to watch *v1.Pod: unknown (get pods)',
      'W0115 10:30:45.123456   12345 warnings.go:70] v1 ComponentStatus is deprecated in v1.19+',
    ],
  },
  {
    id: 'logcat',
    name: 'Android logcat',
    specificity: 60,
    variants: [
      {
        regex: String.raw`^(?<time>\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) +(?<pid>\d+) +(?<tid>\d+) (?<level>[VDIWEFA]) (?<service>(?:[^:]*[^: ])?) *: (?<message>.*)$`,
        time: 'MM-DD HH:mm:ss.SSS',
      },
    ],
    samples: [
      '03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogsopening app wtoken = AppWindowToken{9f4ef63 token=Token{a64f992 ActivityRecord{de9231d u0 com.tencent.qt.qtl/.activity.info.NewsDetailXmlActivity t761}}}, allDrawn= false, startingDisplayed =  false, startingMoved =  false, isRelaunching =  false',
      '03-17 16:13:38.819  1702  8671 D PowerManagerService: acquire lock=233570404, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid=10037, pid=2227',
      '03-17 16:13:38.839  2227  2227 E ActivityManager: ANR in com.example.app',
    ],
  },
  {
    id: 'postgresql',
    name: 'PostgreSQL',
    specificity: 65,
    head: new RegExp(
      String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?(?: [A-Z]{2,5}| [+-]\d\d(?::?\d\d)?)?) \[(?<pid>\d+)\]`,
    ),
    rest: new RegExp(
      String.raw`(?:[:-] ?(?:\[\d+-\d+\] )?)? ?(?:(?<user>[\w.\[\]-]*)@(?<db>[\w.\[\]-]*) )?(?<level>LOG|DEBUG[1-5]?|INFO|NOTICE|WARNING|ERROR|FATAL|PANIC|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION): +(?<message>(?:${NOT_BLANK}.*)?)$`,
      'y',
    ),
    time: 'YYYY-MM-DD HH:mm:ss[.SSS][ Z]',
    levels: {
      log: 'INFO',
      notice: 'INFO',
      panic: 'FATAL',
      detail: 'continuation',
      hint: 'continuation',
      statement: 'continuation',
      context: 'continuation',
      query: 'continuation',
      location: 'continuation',
    },
    samples: [
      '2024-01-15 10:30:45.123 UTC [12345] LOG:  database system is ready to accept connections',
      '2024-01-15 10:30:46.456 UTC [12399] app@shop ERROR:  relation "orders_old" does not exist at character 15',
      '2024-01-15 10:30:47.789 CET [12400] FATAL:  password authentication failed for user "report"',
      '2024-01-15 10:30:48 UTC [12401] WARNING:  there is no transaction in progress',
    ],
  },
  {
    id: 'mysql',
    name: 'MySQL / MariaDB error log',
    specificity: 65,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(?:Z|[+-]\d\d:\d\d)) (?<thread>\d+) \[(?<level>\w+)\] (?:\[(?<code>MY-\d+)\] )?(?:\[(?<service>\w+)\] )?(?<message>.*)$`,
        time: 'iso',
      },
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d +\d?\d:\d\d:\d\d) (?<thread>\d+) \[(?<level>\w+)\] (?<message>.*)$`,
        time: 'YYYY-MM-DD HH:mm:ss',
      },
      {
        regex: String.raw`^(?<time>\d{6} +\d?\d:\d\d:\d\d) +\[(?<level>\w+)\] (?<message>.*)$`,
        time: 'YYMMDD HH:mm:ss',
      },
    ],
    levels: { note: 'INFO', system: 'INFO' },
    samples: [
      '2024-01-15T10:30:45.123456Z 0 [Warning] [MY-010068] [Server] CA certificate ca.pem is self signed.',
      "2024-01-15T10:30:45.223456Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.0.36'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306",
      '2019-03-14 10:22:31 140312 [Note] InnoDB: Buffer pool(s) load completed at 190314 10:22:31',
      "190314 10:22:31 [ERROR] mysqld: Table './shop/orders' is marked as crashed and should be repaired",
    ],
  },
  {
    id: 'redis',
    name: 'Redis',
    specificity: 65,
    variants: [
      {
        regex: String.raw`^(?<pid>\d+):(?<role>[XCSM]) (?<time>\d\d? ${MON} \d{4} \d\d:\d\d:\d\d\.\d+) (?<level>[.\-*#]) (?<message>.*)$`,
        time: 'DD MMM YYYY HH:mm:ss.SSS',
      },
      {
        regex: String.raw`^\[(?<pid>\d+)\] (?<time>\d\d? ${MON} \d\d:\d\d:\d\d(?:\.\d+)?) (?<level>[.\-*#]) (?<message>.*)$`,
        time: 'DD MMM HH:mm:ss[.SSS]',
      },
    ],
    levels: { '.': 'DEBUG', '-': 'DEBUG', '*': 'INFO', '#': 'WARN' },
    samples: [
      '1:M 15 Jan 2024 10:30:45.123 * Ready to accept connections tcp',
      '1:M 15 Jan 2024 10:30:46.456 # WARNING: The TCP backlog setting of 511 cannot be enforced because /proc/sys/net/core/somaxconn is set to the lower value of 128.',
      '1:C 15 Jan 2024 10:30:44.001 * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo',
      '[4018] 14 Nov 07:01:22.119 * Background saving terminated with success',
    ],
  },
  {
    id: 'windows-cbs',
    name: 'Windows CBS',
    specificity: 65,
    variants: [
      {
        regex: String.raw`^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (?<level>[A-Za-z]+) +(?<service>[A-Za-z]+) +(?<message>(?:${NOT_BLANK}.*)?)$`,
        time: 'YYYY-MM-DD HH:mm:ss',
      },
    ],
    samples: [
      '2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_681aa442f6fed7f0\\cbscore.dll',
      '2016-09-28 04:30:31, Info                  CSI    00000001@2016/9/27:20:30:31.455 WcpInitialize (wcp.dll version 0.0.0.6) called (stack @0x7fed806eb5d @0x7fefa1c8728',
      '2016-09-28 04:30:31, Error                 CBS    Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]',
    ],
  },
  {
    id: 'dmesg',
    name: 'dmesg (kernel ring buffer)',
    specificity: 50,
    relative: true,
    variants: [
      {
        regex: String.raw`^(?:(?<facility>[a-z]+) *:(?<level>[a-z]+) *: )?\[ *(?<time>\d+\.\d+)\] (?<message>.*)$`,
        time: 'relative',
      },
    ],
    samples: [
      '[    0.011400] ACPI: Early table checksum verification disabled',
      '[    1.234567] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
      'kern  :err   : [  123.456789] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0',
    ],
  },
  {
    id: 'dmesg-t',
    name: 'dmesg -T (human-readable times)',
    specificity: 50,
    variants: [
      {
        regex: String.raw`^\[(?<time>[A-Z][a-z]{2} ${MON} [ \d]\d \d\d:\d\d:\d\d \d{4})\] (?<message>.*)$`,
        time: 'ddd MMM DD HH:mm:ss YYYY',
      },
    ],
    samples: [
      '[Mon Jan 15 10:30:45 2024] usb 1-1: new high-speed USB device number 2 using xhci_hcd',
      '[Mon Jan 15 10:31:02 2024] Out of memory: Killed process 4242 (java) total-vm:8123456kB',
    ],
  },
  {
    id: 'epoch',
    name: 'epoch timestamp first',
    specificity: 20,
    head: new RegExp(String.raw`^\[?(?<time>\d{10}(?:\.\d{1,9})?|\d{13}(?:\.\d+)?|\d{16}|\d{19})\]?[ \t]+`),
    rest: new RegExp(
      String.raw`(?:\[?(?<level>trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|severe)\]?:?[ \t]+)?(?<message>(?:[^ \t\n\r\u2028\u2029].*)?)$`,
      'iy',
    ),
    time: 'epoch',
    samples: [
      '1705314645 INFO backup finished in 42s',
      '1705314645.123 [error] upstream timed out',
      '1705314645123 worker 7 started',
    ],
  },
];

const isTwoStep = (s: RegexFormatSpec | TwoStepSpec): s is TwoStepSpec => 'head' in s;
export const SPECS: readonly RegexFormatSpec[] = ALL.filter((s): s is RegexFormatSpec => !isTwoStep(s));
export const TWO_STEP: readonly TwoStepSpec[] = ALL.filter(isTwoStep);

export const CATALOG: readonly LineFormat[] = ALL.map((s) =>
  isTwoStep(s) ? twoStepFormat(s) : regexFormat(s),
);
