// Runs DynamoDB Local on 127.0.0.1 only (its own ServerRunner binds every interface), and exits
// when the parent closes our stdin, so a parent that dies however it dies leaves no JVM behind.
// Run with Java's single-file source launch: java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java PORT [DBPATH]
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.File;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    // As quiet as DynamoDB Local's own ServerRunner sets them.
    System.setProperty("org.eclipse.jetty.util.log.announce", "false");
    System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    Logger.getLogger("com.almworks.sqlite4java").setLevel(Level.WARNING);
    if (args.length < 1 || args.length > 2) fail("Usage: LoopbackDynamoDbLocal PORT [DBPATH]");
    int port = Integer.parseInt(args[0]);
    String dbPath = args.length > 1 ? args[1] : null;
    if (dbPath != null && !new File(dbPath).isDirectory()) fail("Invalid directory for database creation: " + dbPath);
    // ServerRunner's arguments for -sharedDb and -inMemory | -dbPath: (0, inMemory, dbPath, sharedDb, delayTransientStatuses), no CORS.
    LocalDynamoDBServerHandler handler =
        new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(0, dbPath == null, dbPath, true, false), null);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ContextHandler context = new ContextHandler();
    context.setHandler(handler);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      // Jetty's threads would otherwise keep a JVM that failed to bind alive.
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + connector.getLocalPort());
    while (System.in.read() != -1) {}
    System.exit(0);
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
