"""The editor as office staff use it, in headless Chromium (Debian's chromium and chromedriver)."""
from __future__ import annotations

import io
import shutil
import tempfile
import time
from pathlib import Path

import docx
import pytest

import planwriter
from conftest import ROOT

from serving import Limits, LiveServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver")

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server():
    live = LiveServer(limits=Limits(workers=2))
    yield live
    live.close()


@pytest.fixture
def browser(tmp_path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}",
                "--window-size=1440,1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                        "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait(driver, condition, timeout=30):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def preview_title(driver) -> str:
    return driver.execute_script("const h = document.querySelector('#preview h1');"
                                 "return h ? h.textContent : ''")


def preview_text(driver) -> str:
    return driver.execute_script("return document.getElementById('preview').textContent")


def start(driver, server, preset="township-health-center", language="zh"):
    driver.get(server.url + "/")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".preset"))
    Select(driver.find_element(By.ID, "start-locale")).select_by_value(language)
    year = driver.find_element(By.ID, "start-year").get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, f'.preset[data-preset="{preset}"]').click()
    wait(driver, lambda d: preview_title(d))
    return int(year)


def open_file(driver, server, path):
    """Open a file from the start screen, as a user picks it with 打开已有文件…, and wait for
    its preview."""
    driver.get(server.url + "/")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".preset"))
    chooser = driver.find_element(By.ID, "start-open")
    driver.execute_script("arguments[0].hidden = false", chooser)
    chooser.send_keys(str(path))
    wait(driver, lambda d: preview_title(d))


def retype(element, text):
    element.clear()
    element.send_keys(text)


def goals_card(driver):
    index = driver.execute_script(
        "return [...document.querySelectorAll('.kind-select')].findIndex(s => s.value === 'goals')")
    card = driver.find_elements(By.CSS_SELECTOR, ".section-card")[index]
    if not card.find_elements(By.CSS_SELECTOR, "input.target"):
        card.find_element(By.CSS_SELECTOR, ".fold").click()
        card = driver.find_elements(By.CSS_SELECTOR, ".section-card")[index]
    return card


def downloaded(driver, suffix) -> Path:
    def done(_):
        files = [f for f in driver.downloads.iterdir() if f.suffix == suffix]
        return files[0] if files else None
    return wait(driver, done)


def test_preset_year_and_target_change_the_preview_and_the_docx(browser, server):
    year = start(browser, server)
    assert preview_title(browser) == f"青山镇卫生院{year}年工作计划"

    retype(browser.find_element(By.ID, "meta-year"), "2027")
    wait(browser, lambda d: preview_title(d) == "青山镇卫生院2027年工作计划")

    # The preset's target for health records: change it to 85.
    target = target_of(browser, "居民电子健康档案建档率")
    assert target.get_attribute("value") not in ("", "85")
    retype(target, "85")
    wait(browser, lambda d: "居民电子健康档案建档率达到85%以上" in preview_text(d))

    browser.find_element(By.ID, "dl-docx").click()
    path = downloaded(browser, ".docx")
    assert path.name == "青山镇卫生院2027年工作计划.docx"
    document = docx.Document(io.BytesIO(path.read_bytes()))
    assert document.paragraphs[0].text == "青山镇卫生院2027年工作计划"
    body = "\n".join(p.text for p in document.paragraphs)
    assert "居民电子健康档案建档率达到85%以上" in body and "2027年" in body


def target_of(browser, name: str):
    """The target field of the goals' indicator row named ``name``."""
    row = next(tr for tr in goals_card(browser).find_elements(By.CSS_SELECTOR, "tr")
               if any(i.get_attribute("value") == name for i in tr.find_elements(By.TAG_NAME, "input")))
    return row.find_element(By.CSS_SELECTOR, "input.target")


def test_an_impossible_target_is_shown_at_its_field(browser, server):
    start(browser, server)
    target = target_of(browser, "居民电子健康档案建档率")  # "at least": over 100% cannot be reached
    retype(target, "120")
    note = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "tr.problem-row .problem.error"))[0]
    assert "PW201" in note.text and "120%" in note.text
    row = note.find_element(By.XPATH, "../../preceding-sibling::tr[1]")
    assert row.get_attribute("data-path").endswith(".indicators[1]")
    assert "1 处错误" in browser.find_element(By.ID, "status").text
    retype(target, "95")
    wait(browser, lambda d: not d.find_elements(By.CSS_SELECTOR, ".problem.error"))
    assert browser.find_element(By.ID, "status").text == "检查通过"


def test_a_block_is_picked_from_the_searchable_library_with_typed_parameters(browser, server):
    start(browser, server)
    card = goals_card(browser)
    adder = [b for b in card.find_elements(By.CSS_SELECTOR, ".add-bar button") if "段落库" in b.text]
    if not adder:  # the goals section already has a block: change it
        adder = [b for b in card.find_elements(By.CSS_SELECTOR, ".block-panel button") if b.text == "更换"]
    browser.execute_script("arguments[0].scrollIntoView()", adder[0])
    adder[0].click()
    fit = browser.find_element(By.ID, "picker-fit")
    if fit.is_selected():
        fit.click()
    browser.find_element(By.ID, "picker-q").send_keys("感染")
    choice = wait(browser, lambda d: d.find_elements(
        By.CSS_SELECTOR, '.pick[data-key="quality/infection_control"]'))[0]
    choice.click()
    rate = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'input[data-param="hand_hygiene_rate"]'))[0]
    assert (rate.get_attribute("type"), rate.get_attribute("min"), rate.get_attribute("max")) == \
        ("number", "0", "100")
    spec = planwriter.default_environment().block("quality/infection_control").params["hand_hygiene_rate"]
    assert rate.get_attribute("placeholder") == str(spec["default"])
    retype(rate, "98")
    wait(browser, lambda d: "98%" in preview_text(d))


def test_a_bilingual_plan_previews_in_english(browser, server):
    start(browser, server, preset="hospital", language="")
    assert preview_title(browser).startswith("青山县人民医院")
    browser.find_element(By.CSS_SELECTOR, '#preview-locale [data-locale="en"]').click()
    wait(browser, lambda d: preview_title(d).startswith("Qingshan County People's Hospital: Work Plan"))
    inputs = browser.find_elements(By.CSS_SELECTOR, '[data-path="meta.organisation"] input')
    assert [i.get_attribute("data-lang") for i in inputs] == ["zh", "en"]
    retype(inputs[1], "Qingshan County Hospital")
    wait(browser, lambda d: preview_title(d).startswith("Qingshan County Hospital: Work Plan"))


def test_an_opened_plan_keeps_the_fields_the_editor_has_no_form_for(browser, server, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("""meta:
  organisation: 青山镇卫生院
  period: {start: 2025-07-01, end: 2026-06-30}
sections:
  - kind: goals
    layout: table
    indicators:
      - {name: 居民电子健康档案建档率, comparator: at_least, value: 90, unit: percent, baseline: 85}
  - kind: tasks
    items:
      - block: quality/infection_control
        params: {hand_hygiene_rate: 96}
""", encoding="utf-8")
    open_file(browser, server, plan)
    retype(browser.find_element(By.CSS_SELECTOR, '[data-path="meta.organisation"] input'), "白云镇卫生院")
    wait(browser, lambda d: preview_title(d).startswith("白云镇卫生院"))
    browser.find_element(By.ID, "dl-yaml").click()
    saved = planwriter.loads(downloaded(browser, ".yaml").read_text(encoding="utf-8"))
    original = planwriter.loads(plan.read_text(encoding="utf-8"))
    assert str(saved.meta.organisation) == "白云镇卫生院"
    assert saved.model_dump(exclude={"meta": {"organisation"}}) == \
        original.model_dump(exclude={"meta": {"organisation"}})


def test_the_page_loads_nothing_from_other_hosts(browser, server):
    start(browser, server)
    time.sleep(0.5)
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([...document.querySelectorAll('[src],[href]')].map(e => e.src || e.href))")
    assert resources
    assert all(r.startswith(server.url + "/") or r.startswith("blob:") for r in resources), resources


def test_the_editor_asks_for_the_token_of_a_guarded_server(browser):
    guarded = LiveServer(token="t0ken", limits=Limits(workers=1))
    try:
        browser.get(guarded.url + "/")
        box = wait(browser, lambda d: d.find_element(By.ID, "token-input").is_displayed()
                   and d.find_element(By.ID, "token-input"))
        box.send_keys("t0ken")
        browser.find_element(By.ID, "token-ok").click()
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".preset"))
        browser.find_element(By.CSS_SELECTOR, '.preset[data-preset="community-health"]').click()
        preset = planwriter.load(ROOT / "templates" / "presets" / "community-health.yaml")
        title = planwriter.compose(preset, "zh").title
        wait(browser, lambda d: preview_title(d)[:4] == title[:4])
    finally:
        guarded.close()


def test_last_years_web_page_opens_as_a_plan_and_says_what_was_removed(browser, server, tmp_path):
    page = tmp_path / "2025年工作计划.txt"
    page.write_text("首页 > 工作计划\n\n青山镇卫生院2026年工作计划\n\n一、指导思想\n\n坚持以人民健康为中心。\n\n"
                    "二、主要任务\n\n（一）抓好基本公共卫生服务。\n\n（二）居民电子健康档案建档率达到90%以上。\n\n"
                    "（三）6月底前完成辖区重点单位信息更新。\n\n上一篇：2025年工作总结\n", encoding="utf-8")
    open_file(browser, server, page)
    assert preview_title(browser) == "青山镇卫生院2026年工作计划"
    assert "抓好基本公共卫生服务" in preview_text(browser) and "上一篇" not in preview_text(browser)
    assert "已去除网页杂项 2 处" in browser.find_element(By.ID, "toast").text
    # items whose sentence is a target or a dated step are listed by what they say
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".item-head")]
    assert any("居民电子健康档案建档率" in t for t in labels), labels
    assert any("完成辖区重点单位信息更新" in t for t in labels), labels
    assert not any("新子项" in t for t in labels), labels
