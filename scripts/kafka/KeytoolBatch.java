// Used by scripts/kafka.sh (KAFKA_SECURITY=1): runs keytool commands in one JVM instead of one
// JVM start each. stdin: one keytool command a line, its arguments separated by tabs.
// Compiled once into the jar cache; needs javac (a JDK). Without it, kafka.sh runs keytool itself.
//   javac --add-exports java.base/sun.security.tools.keytool=ALL-UNNAMED -d <dir> KeytoolBatch.java
//   java --add-exports java.base/sun.security.tools.keytool=ALL-UNNAMED -cp <dir> KeytoolBatch <cmds
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

public final class KeytoolBatch {
  private KeytoolBatch() {}

  public static void main(String[] unused) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      // keytool's own entry point; it ends the JVM with a non-zero status when a command fails.
      sun.security.tools.keytool.Main.main(line.split("\t"));
    }
  }
}
