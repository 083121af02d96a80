"""Browser tests of the operator dashboard (/admin/ui) with Debian's chromium and chromium-driver,
driven by selenium against the real executable: sign in, see a tenant flagged after a burst of 409s,
search the log for a user, revoke a token and see the identity provider's next request refused;
sign-in refused with a tenant token; no page reachable without a session. Screenshots are saved in
the artefacts folder given as the third argument."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BINARY, ROOT, ARTEFACTS = os.path.abspath(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
ARTEFACTS.mkdir(parents=True, exist_ok=True)
failures = []
passed = 0


def check(condition, what):
    global passed
    if condition:
        passed += 1
        print(f"ok   {what}")
    else:
        failures.append(what)
        print(f"FAIL {what}")


def is_replaced(element):
    """Whether the page holding `element` is gone. Chromium reports a node of a replaced document
    either as a stale element or, while the new document loads, as an inspector error saying the node
    does not belong to the document: both mean the new page is there."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def click(element):
    """Clicks something that loads a new page and waits until the new page replaced the old one."""
    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 15).until(lambda _: is_replaced(page))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args):
    result = subprocess.run([BINARY, *args, "--config-dir", str(config)], capture_output=True, text=True, cwd=work)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed: {result.stderr}")
    return result.stdout.splitlines()[0]


def scim(method, path, token, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/scim+json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def user(name):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name,
            "name": {"givenName": "Ada", "familyName": "Lovelace"}, "emails": [{"value": name, "type": "work"}]}


work = Path(tempfile.mkdtemp(prefix="scim-gateway-dashboard."))
config = work / "tenants.d"
(config / "mappings").mkdir(parents=True)
for mapping in (ROOT / "tenants.d" / "mappings").glob("*.yaml"):
    (config / "mappings" / mapping.name).write_text(mapping.read_text())
schema = (ROOT / "schemas" / "sqlite" / "chamilo-1.11.sql").read_text()
for tenant in ("acme", "calm"):
    subprocess.run(["sqlite3", str(work / f"{tenant}.sqlite")], input=schema, text=True, check=True)
    (config / f"{tenant}.yaml").write_text(
        f"id: {tenant}\nname: {tenant.upper()} University\nbackend: {{kind: sqlite, path: {work / (tenant + '.sqlite')}}}\n"
        "mapping: chamilo-1.11\nsettings: {accessUrlId: 1}\ndeprovision: deactivate\n"
        "rateLimit: { perSecond: 10000, burst: 10000 }\n")
# Many portals: 300 more tenants on one shared database (access URL links keep them apart).
for index in range(300):
    (config / f"portal-{index:03d}.yaml").write_text(
        f"id: portal-{index:03d}\nname: Portal {index}\nbackend: {{kind: sqlite, path: {work / 'calm.sqlite'}}}\n"
        "mapping: chamilo-1.11\nsettings: {accessUrlId: 1}\n")
idp_token = cli("tokens", "create", "--tenant", "acme", "--name", "entra")
calm_token = cli("tokens", "create", "--tenant", "calm", "--name", "okta")
operator = cli("tokens", "create", "--admin", "--name", "dashboard")
port = free_port()
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([BINARY, "serve", "--config-dir", str(config), "--port", str(port),
                           "--log-store", f"sqlite:{work / 'log.sqlite'}"], cwd=work,
                          stdout=open(work / "server.log", "w"), stderr=subprocess.STDOUT)
driver = None
try:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    # Traffic: acme's identity provider hits a burst of duplicates (409), calm works normally.
    check(scim("POST", "/scim/v2/Users", idp_token, user("ada@example.org")) == 201, "acme creates ada")
    statuses = [scim("POST", "/scim/v2/Users", idp_token, user("ada@example.org")) for _ in range(12)]
    check(all(status == 409 for status in statuses), "a burst of 12 duplicate creates is answered 409")
    for index in range(5):
        scim("POST", "/scim/v2/Users", calm_token, user(f"user{index}@calm.example"))

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900"):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)

    # No page without a session: every one lands on the sign-in form.
    for path in ("/admin/ui", "/admin/ui/tenants/acme"):
        driver.get(base + path)
        check(driver.current_url.endswith("/admin/ui/login"), f"{path} without a session shows the sign-in form")
    try:
        urllib.request.urlopen(urllib.request.Request(f"{base}/admin/ui/reload", data=b"csrf=x", method="POST"), timeout=10)
        check(False, "an action without a session is refused")
    except urllib.error.HTTPError as error:
        check(error.code == 403, "an action without a session is refused (403)")

    # A tenant's token cannot sign in.
    driver.find_element(By.ID, "token").send_keys(idp_token)
    click(driver.find_element(By.ID, "signin"))
    check("not an operator token" in driver.find_element(By.ID, "error").text, "sign-in with a tenant token is refused")
    driver.save_screenshot(str(ARTEFACTS / "dashboard-refused-sign-in.png"))

    # The operator signs in and sees acme flagged, calm not.
    driver.find_element(By.ID, "token").send_keys(operator)
    click(driver.find_element(By.ID, "signin"))
    check(driver.current_url.endswith("/admin/ui"), "the operator token signs in")
    cookie = driver.get_cookie("sgw_dashboard") or {}
    check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")
    acme = driver.find_element(By.CSS_SELECTOR, 'tr[data-tenant="acme"]')
    calm = driver.find_element(By.CSS_SELECTOR, 'tr[data-tenant="calm"]')
    check("flagged" in acme.get_attribute("class"), "acme is flagged after the burst of 409s")
    check("flagged" not in calm.get_attribute("class"), "calm is not flagged")
    check("reachable" in acme.text and "unreachable" not in acme.text, "acme's backend health is shown")
    rows = driver.find_elements(By.CSS_SELECTOR, "#tenants tbody tr")
    check(rows and rows[0].get_attribute("data-tenant") == "acme", "the failing tenant sorts first")
    driver.save_screenshot(str(ARTEFACTS / "dashboard-flagged-tenant.png"))
    check("Tenants (302)" in driver.page_source and "Page 1 of 7" in driver.page_source, "302 tenants in pages of 50")
    check(len(rows) == 50, "a page lists 50 tenants")
    click(driver.find_element(By.ID, "next"))
    check("Page 2 of 7" in driver.page_source and "flagged" not in driver.find_element(By.ID, "tenants").text,
          "the next page follows, sorted by failure ratio")
    driver.get(base + "/admin/ui?sort=id&page=7")
    last_rows = driver.find_elements(By.CSS_SELECTOR, "#tenants tbody tr")
    check(last_rows and last_rows[-1].get_attribute("data-tenant") == "portal-299", "sorting by id reaches the last portal")
    driver.get(base + "/admin/ui")

    # The tenant page answers "user X never arrived": the refused creates of ada.
    click(driver.find_element(By.LINK_TEXT, "acme"))
    driver.find_element(By.ID, "user").send_keys("ada@example.org")
    click(driver.find_element(By.ID, "search"))
    log = driver.find_element(By.ID, "log").text
    check(log.count("409") >= 12 and "uniqueness" in log, "the log search shows ada's refused creates")
    driver.save_screenshot(str(ARTEFACTS / "dashboard-log-search.png"))

    # Revoking the identity provider's token: its next request is refused.
    check(scim("GET", "/scim/v2/Users?count=1", idp_token) == 200, "the IdP token works before the revoke")
    click(driver.find_element(By.CSS_SELECTOR, 'tr[data-token="entra"] button.revoke'))
    check("revoked" in driver.find_element(By.ID, "notice").text, "the dashboard confirms the revoke")
    refused = scim("GET", "/scim/v2/Users?count=1", idp_token)
    check(refused == 401, f"the IdP's next request after the revoke is refused (got {refused})")

    # A new token is shown once.
    driver.find_element(By.ID, "token-name").send_keys("entra-2")
    click(driver.find_element(By.ID, "create-token"))
    secret = driver.find_element(By.ID, "secret").text
    check(secret.startswith("sgw_"), "a created token is shown once")
    check(scim("GET", "/scim/v2/Users?count=1", secret) == 200, "the new token works")
    driver.save_screenshot(str(ARTEFACTS / "dashboard-new-token.png"))

    check(server.poll() is None, "the gateway is still running")
finally:
    if driver is not None:
        driver.quit()
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()

print(f"dashboard: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
