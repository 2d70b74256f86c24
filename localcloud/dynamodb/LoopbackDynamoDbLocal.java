// Runs DynamoDB Local on 127.0.0.1 only (its own ServerRunner binds every interface), answers only
// requests that carry the per-run secret the parent writes as the first line of our stdin (so that
// only the gateway, which adds it, gets in), and exits when the parent closes that stdin, so a parent
// that dies however it dies leaves no JVM behind.
// Run with Java's single-file source launch: java -cp DynamoDBLocal.jar LoopbackDynamoDbLocal.java PORT [DBPATH]
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.HandlerWrapper;

public class LoopbackDynamoDbLocal {
  static final String SECRET_HEADER = "x-localcloud-engine-secret";
  // The file -sharedDb keeps every table in.
  static final String SHARED_DB_FILE = "shared-local-instance.db";

  /** SQLite opens an empty file as a new database, and gives its journals the same owner-only mode. */
  private static void createPrivateDatabaseFile(Path file) throws IOException {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return;
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException kept) {
      // Kept from an earlier run; the parent takes others' permissions off it before starting us.
    }
  }

  public static void main(String[] args) throws Exception {
    // As quiet as DynamoDB Local's own ServerRunner sets them.
    System.setProperty("org.eclipse.jetty.util.log.announce", "false");
    System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
    Logger.getLogger("com.almworks.sqlite4java").setLevel(Level.WARNING);
    if (args.length < 1 || args.length > 2) fail("Usage: LoopbackDynamoDbLocal PORT [DBPATH]");
    int port = Integer.parseInt(args[0]);
    String dbPath = args.length > 1 ? args[1] : null;
    if (dbPath != null && !new File(dbPath).isDirectory()) fail("Invalid directory for database creation: " + dbPath);
    if (dbPath != null) createPrivateDatabaseFile(Path.of(dbPath, SHARED_DB_FILE));
    // Not an argument: a command line is visible to every process on the machine.
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String secret = stdin.readLine();
    if (secret == null || secret.length() < 32) fail("Expected the per-run secret (32 or more characters) as the first line of stdin");
    // ServerRunner's arguments for -sharedDb and -inMemory | -dbPath: (0, inMemory, dbPath, sharedDb, delayTransientStatuses), no CORS.
    LocalDynamoDBServerHandler handler =
        new LocalDynamoDBServerHandler(new LocalDynamoDBRequestHandler(0, dbPath == null, dbPath, true, false), null);
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    RequireSecret guard = new RequireSecret(secret);
    guard.setHandler(handler);
    ContextHandler context = new ContextHandler();
    context.setHandler(guard);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      // Jetty's threads would otherwise keep a JVM that failed to bind alive.
      e.printStackTrace();
      System.exit(1);
    }
    System.out.println("DynamoDB Local listening on 127.0.0.1:" + connector.getLocalPort());
    while (stdin.read() != -1) {}
    System.exit(0);
  }

  /** Refuses every request without the per-run secret header, compared in constant time. */
  static final class RequireSecret extends HandlerWrapper {
    private final byte[] secret;

    RequireSecret(String secret) {
      this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
        throws IOException, ServletException {
      String given = request.getHeader(SECRET_HEADER);
      if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret)) {
        super.handle(target, baseRequest, request, response);
        return;
      }
      baseRequest.setHandled(true);
      response.setStatus(403);
      response.setContentType("application/x-amz-json-1.0");
      response.getWriter().write(
          "{\"__type\":\"com.amazon.coral.service#AccessDeniedException\",\"message\":\"DynamoDB Local is reached only through the localcloud gateway.\"}");
    }
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
