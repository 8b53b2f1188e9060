package dev.autodiff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autodiff.core.Gradients;
import dev.autodiff.core.Node;
import dev.autodiff.core.trace.Explanation;
import dev.autodiff.core.trace.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The teaching pages of seeds 000 and 004 opened in headless Chromium and stepped through with
 * their own buttons and keys: at every step, each number the page shows is checked against what
 * backward returned. Screenshots go to target/teaching-page for a person to look at.
 */
class TeachingPageTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path OUT = Path.of("target/teaching-page");
  /** What the page shows at the current step, read in one call. */
  static final String READ = """
      const read = t => t === null ? null : {rows: Number(t.dataset.rows),
        cols: Number(t.dataset.cols),
        entries: Array.from(t.querySelectorAll('td')).map(td => td.textContent)};
      const panel = document.getElementById('step');
      const partial = panel.querySelector('#partial');
      const grads = {};
      for (const g of document.querySelectorAll('#forward-graph g.node')) {
        const t = g.querySelector('text.grad');
        grads[g.dataset.node] = t === null || t.classList.contains('hidden') ? null : t.textContent;
      }
      return {position: Number(panel.dataset.position), phase: panel.dataset.phase,
        node: Number(panel.dataset.node), term: Number(panel.dataset.term),
        result: read(panel.querySelector('.result table.matrix')),
        rows: Array.from(panel.querySelectorAll('table.values tr[data-node]')).map(tr =>
          ({node: Number(tr.dataset.node), value: read(tr.querySelector('table.matrix'))})),
        terms: Array.from(panel.querySelectorAll('tr.term')).map(tr => ({
          consumer: Number(tr.dataset.consumer), input: Number(tr.dataset.input),
          shown: tr.classList.contains('shown'), value: read(tr.querySelector('table.matrix'))})),
        partial: partial === null ? null : read(partial.querySelector('table.matrix')),
        final: partial !== null && partial.dataset.final === 'true',
        grads: grads, katexErrors: document.querySelectorAll('.katex-error').length,
        lit: ['current', 'consumer', 'operand'].map(c => Array.from(
          document.querySelectorAll('#forward-graph g.node.' + c)).map(g => Number(g.dataset.node))
          .sort((a, b) => a - b))};
      """;

  static ChromeDriver browser;
  static Path profile;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "headless Chromium is needed to open the teaching page: apt-get install chromium "
            + "chromium-driver (.ci/run installs them); the page was not opened");
    Files.createDirectories(OUT);
    profile = Files.createTempDirectory("chromium-profile");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // flags for a closed network: nothing in the background reaches out, a fresh profile
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1600,1200", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        for (Path p : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void seed000ShowsAtEveryStepTheNumbersBackwardReturned() throws IOException {
    WorkedExample.Network n = WorkedExample.build();
    Gradients g = n.tape().backward(n.J());
    Path page = OUT.resolve("seed000.html");
    Explanation.of(g).html(page, "Seed 000: J = L + s, step by step");
    open(page);
    walk(g, "seed000", Map.of(0, "leaves", 5, "forward-v", 22, "fan-out-M"));
  }

  @Test
  void seed004DrawnByThePageItselfShowsTheNumbersBackwardReturned() throws IOException {
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    Gradients g = s.tape().backward(s.L());
    Path page = OUT.resolve("seed004-own-layout.html");
    Explanation.of(g).graphviz(false).html(page, "Seed 004, drawn by the page");
    assertFalse(Files.readString(page).contains("<g id=\"graph0\" class=\"graph\""),
        "graphviz(false) draws with the page's own layout");
    open(page);
    int drawn = browser.findElements(By.cssSelector("#forward-graph g.node")).size();
    assertEquals(s.L().index() + 1, drawn, "one box per node");
    walk(g, "seed004-own-layout", Map.of(30, "step"));
  }

  @Test
  void seed004sLedgerListsTheTwoFlowsBackToA1() throws IOException {
    SigmoidNetwork.Network s = SigmoidNetwork.build();
    Gradients g = s.tape().backward(s.L());
    Path page = OUT.resolve("seed004.html");
    Explanation.of(g).html(page, "Seed 004: the 4-3-2-1 sigmoid network, step by step");
    open(page);
    // a click on a1's box chooses it; its first entry is the notes' a₁
    browser.findElement(By.cssSelector("#forward-graph g.node[data-node='" + s.a1().index() + "']"))
        .click();
    assertEquals(String.valueOf(s.a1().index()),
        new Select(browser.findElement(By.id("ledger-node"))).getFirstSelectedOption()
            .getAttribute("value"));
    new Select(browser.findElement(By.id("ledger-entry"))).selectByVisibleText("a1[1]");
    List<Map<String, Object>> rows = ledger();
    assertEquals(3, rows.size(), "two paths and their sum: " + rows);
    for (int k = 0; k < 2; k++) {
      String route = (String) rows.get(k).get("route");
      assertTrue(route.startsWith("a1[1] → (a1·W2)[" + (k + 1) + "] → z2[" + (k + 1) + "] → "),
          route);
      // the flow through z2[k]: W2[1,k]·∂L/∂z2[k]
      assertNear(s.W2().value().get(0, k) * g.get(s.z2()).get(0, k), entry(rows.get(k)), route);
    }
    assertNear(g.get(s.a1()).get(0, 0), entry(rows.get(2)), "the sum is ∂L/∂a1[1]");
    assertTrue(((String) rows.get(2).get("text")).contains("✓"), rows.get(2).toString());
    screenshot("seed004-ledger-a1");

    new Select(browser.findElement(By.id("ledger-entry"))).selectByVisibleText("the whole node");
    rows = ledger();
    assertEquals(3, rows.size(), rows.toString());
    assertShows(g.get(s.a1()), matrixOf(rows.get(2)), "the sum of a1's paths");
  }

  @Test
  void theRecordedBackwardGraphIsShownBesideTheForwardOne() throws IOException {
    WorkedExample.Network n = WorkedExample.build();
    Gradients g = n.tape().backward(n.J());
    int recorded = n.tape().size();
    Path page = OUT.resolve("seed000-backward.html");
    Explanation.of(g).html(page, "Seed 000: how the gradients are computed");
    assertEquals(recorded, n.tape().size(), "the page records the backward on a copy");
    open(page);
    WebElement backward = browser.findElement(By.id("backward-graph"));
    assertFalse(backward.isDisplayed());
    new Actions(browser).sendKeys("b").perform();
    assertTrue(backward.isDisplayed());
    Select gradients = new Select(browser.findElement(By.id("gradient-select")));
    gradients.selectByVisibleText("∂J/∂W");
    // the recorded ∂J/∂W computes what backward returned, and what it is computed from stays lit
    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) browser.executeScript("""
        const g = Array.from(document.querySelectorAll('#backward-graph g.node'))
          .find(g => g.querySelector('text.name').textContent === '∂J/∂W');
        return {value: g.querySelector('text.value').textContent,
          outside: g.classList.contains('outside'),
          dimmed: document.querySelectorAll('#backward-graph g.node.outside').length,
          nodes: document.querySelectorAll('#backward-graph g.node').length};""");
    assertEquals("value " + Values.matrix(g.get(n.W()), 12), shown.get("value"));
    assertEquals(false, shown.get("outside"));
    assertTrue((Long) shown.get("dimmed") > 0, "nodes ∂J/∂W does not read are dimmed: " + shown);
    browser.findElement(By.id("last")).click();
    screenshot("seed000-backward-graph");
  }

  // ---- helpers ----

  static void open(Path page) {
    browser.get(page.toAbsolutePath().toUri().toString());
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "true".equals(
        ((JavascriptExecutor) d).executeScript("return document.body.dataset.ready")));
    // offline: nothing fetched but data: URLs, and KaTeX's own fonts in use
    Object fetched = browser.executeScript("return performance.getEntriesByType('resource')"
        + ".map(e => e.name).filter(n => !n.startsWith('data:'))");
    assertEquals(List.of(), fetched, "the page fetched something");
    Object fonts = browser.executeAsyncScript("""
        const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done(Array.from(document.fonts)
          .filter(f => f.family.startsWith('KaTeX') && f.status !== 'unloaded')
          .map(f => f.family + ':' + f.status)));""");
    assertTrue(fonts.toString().contains("KaTeX_Main:loaded"), "KaTeX's fonts: " + fonts);
    assertFalse(fonts.toString().contains("error"), "KaTeX's fonts: " + fonts);
    List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    assertEquals(List.of(), errors, "the console");
  }

  /**
   * Steps from the first position to the last, by the next button and the right arrow in turn,
   * checking what each step shows; then End, Home and the left arrow.
   */
  @SuppressWarnings("unchecked")
  static void walk(Gradients g, String name, Map<Integer, String> shots) throws IOException {
    Node root = g.root();
    List<Node> tape = root.tape().nodes();
    Set<Node> finished = new HashSet<>();
    List<Node> steps = new ArrayList<>();
    int forwardAt = -1;
    int position = 0;
    while (true) {
      Map<String, Object> s = (Map<String, Object>) browser.executeScript(READ);
      assertEquals(position, ((Long) s.get("position")).intValue());
      assertEquals(0L, s.get("katexErrors"), "KaTeX (strict) rejected a formula at " + position);
      int id = ((Long) s.get("node")).intValue();
      String where = name + " at " + position + ": ";
      List<List<Long>> lit = (List<List<Long>>) s.get("lit");
      assertEquals(id < 0 ? List.of() : List.of((long) id), lit.get(0), where + "current node");
      if (s.get("phase").equals("forward")) {
        if (id < 0) { // the leaves
          for (Map<String, Object> row : (List<Map<String, Object>>) s.get("rows")) {
            Node leaf = tape.get(((Long) row.get("node")).intValue());
            assertShows(leaf.value(), (Map<String, Object>) row.get("value"), where + leaf.name());
          }
        } else {
          assertTrue(id > forwardAt, where + "the forward pass goes in tape order");
          forwardAt = id;
          assertEquals(tape.get(id).inputs().stream().map(x -> (long) x.index()).distinct()
              .sorted().toList(), lit.get(2), where + "its inputs are lit");
          assertShows(tape.get(id).value(), (Map<String, Object>) s.get("result"),
              where + "value of " + tape.get(id).name());
        }
      } else {
        Node n = tape.get(id);
        int term = ((Long) s.get("term")).intValue();
        if (steps.isEmpty() || steps.get(steps.size() - 1) != n) {
          steps.add(n);
          // the engine's order: a gradient is summed only once every consumer's is final
          for (Node c : root.tape().nodes().subList(n.index() + 1, root.index() + 1)) {
            if (c.inputs().contains(n) && g.has(c)) {
              assertTrue(finished.contains(c),
                  where + n.name() + " before its consumer " + c.name());
            }
          }
        }
        DMatrixRMaj sum = new DMatrixRMaj(n.rows(), n.cols());
        List<Map<String, Object>> terms = (List<Map<String, Object>>) s.get("terms");
        assertEquals(terms.stream().map(t -> (Long) t.get("consumer")).distinct().sorted().toList(),
            lit.get(1), where + "its consumers are lit");
        // added as the engine adds them: walking the tape backwards, a consumer's inputs in order
        for (int k = 1; k < terms.size(); k++) {
          long before = (Long) terms.get(k - 1).get("consumer");
          long after = (Long) terms.get(k).get("consumer");
          assertTrue(after < before || after == before
              && (Long) terms.get(k).get("input") > (Long) terms.get(k - 1).get("input"),
              where + "terms in the engine's order");
        }
        for (int k = 0; k < terms.size(); k++) {
          Map<String, Object> t = terms.get(k);
          assertEquals(k <= term, t.get("shown"), where + "terms up to the current one are shown");
          if (k <= term) {
            Node c = tape.get(((Long) t.get("consumer")).intValue());
            DMatrixRMaj value = g.contribution(c, ((Long) t.get("input")).intValue());
            assertShows(value, (Map<String, Object>) t.get("value"), where + "term of " + c.name());
            CommonOps_DDRM.addEquals(sum, value);
          }
        }
        if (terms.isEmpty()) {
          sum.setTo(g.get(n)); // J's own, the seed
        }
        assertShows(sum, (Map<String, Object>) s.get("partial"), where + "the sum so far");
        boolean last = term == terms.size() - 1;
        assertEquals(last, s.get("final"), where + "final after the last term");
        String box = (String) ((Map<String, Object>) s.get("grads")).get(String.valueOf(id));
        assertEquals("grad " + Values.matrix(sum, 12), box, where + "the graph shows the sum");
        if (last) {
          assertShows(g.get(n), (Map<String, Object>) s.get("partial"), where + "∂/∂" + n.name());
          finished.add(n);
        }
        // every finished node's box shows its gradient, no other box one
        Map<String, Object> grads = (Map<String, Object>) s.get("grads");
        for (Node m : tape.subList(0, root.index() + 1)) {
          Object text = grads.get(String.valueOf(m.index()));
          if (m != n) {
            assertEquals(finished.contains(m) ? "grad " + Values.matrix(g.get(m), 12) : null, text,
                where + "box of " + m.name());
          }
        }
      }
      if (shots.containsKey(position)) {
        screenshot(name + "-" + shots.get(position));
      }
      if (!browser.findElement(By.id("next")).isEnabled()) {
        break;
      }
      if (position % 2 == 0) {
        browser.findElement(By.id("next")).click();
      } else {
        new Actions(browser).sendKeys(Keys.ARROW_RIGHT).perform();
      }
      position++;
    }
    long withGradient = tape.subList(0, root.index() + 1).stream().filter(g::has).count();
    assertEquals(withGradient, steps.size(), name + ": one step per node with a gradient");
    assertEquals(withGradient, finished.size(), name + ": each summed to the end");
    new Actions(browser).sendKeys(Keys.HOME).perform();
    assertEquals("0", browser.findElement(By.id("step")).getAttribute("data-position"));
    new Actions(browser).sendKeys(Keys.END).sendKeys(Keys.ARROW_LEFT).perform();
    assertEquals(String.valueOf(position - 1),
        browser.findElement(By.id("step")).getAttribute("data-position"));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> ledger() {
    return (List<Map<String, Object>>) browser.executeScript("""
        return Array.from(document.querySelectorAll('#ledger-body tr.path, #ledger-body tr.sum'))
          .map(tr => ({route: tr.querySelector('td').textContent, text: tr.textContent,
            rows: Number(tr.querySelector('table.matrix').dataset.rows),
            cols: Number(tr.querySelector('table.matrix').dataset.cols),
            entries: Array.from(tr.querySelectorAll('table.matrix td'))
              .map(td => td.textContent)}));
        """);
  }

  static Map<String, Object> matrixOf(Map<String, Object> row) {
    return Map.of("rows", row.get("rows"), "cols", row.get("cols"), "entries", row.get("entries"));
  }

  @SuppressWarnings("unchecked")
  static double entry(Map<String, Object> row) {
    List<String> entries = (List<String>) row.get("entries");
    assertEquals(1, entries.size(), row.toString());
    return Double.parseDouble(entries.get(0));
  }

  /** The page shows m in full, each entry to the 6 significant digits it prints. */
  @SuppressWarnings("unchecked")
  static void assertShows(DMatrixRMaj m, Map<String, Object> shown, String what) {
    assertNotNull(shown, what + ": not shown");
    assertEquals(m.numRows, ((Long) shown.get("rows")).intValue(), what + ": rows");
    assertEquals(m.numCols, ((Long) shown.get("cols")).intValue(), what + ": columns");
    List<String> entries = (List<String>) shown.get("entries");
    assertEquals(m.getNumElements(), entries.size(), what + ": entries " + entries);
    for (int k = 0; k < entries.size(); k++) {
      assertNear(m.data[k], Double.parseDouble(entries.get(k)), what + " entry " + k);
    }
  }

  static void assertNear(double expected, double shown, String what) {
    assertEquals(expected, shown, 5e-6 * Math.abs(expected), what);
  }

  static void screenshot(String name) throws IOException {
    Files.write(OUT.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
  }
}
