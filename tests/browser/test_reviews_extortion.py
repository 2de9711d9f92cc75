import io
import zipfile

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.roles import Role
from reviews.models import EvidenceMessage, ReplyDraft
from tests.factories import at, make_buyer, make_user
from tests.reviews.factories import make_conversation, make_message, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_drafts_a_reply_marks_extortion_and_downloads_the_evidence_pack(
    browser, live_server, log_in, screenshot, shop, tmp_path
):
    specialist = make_user(shop, Role.REVIEW_SPECIALIST, display_name="玲玲", work_number="4001")
    buyer = make_buyer(shop, nick="tb8837261_11")
    review = make_review(shop, buyer=buyer, text="客服不给退款，差评！<b>假货</b>")
    conversation = make_conversation(shop, buyer, when=at(2026, 11, 20, 9, 0))
    threat = make_message(conversation, "不退我200块就给差评", when=at(2026, 11, 20, 9, 1))
    make_message(
        conversation, "非常抱歉，请您拍照给我们看看", when=at(2026, 11, 20, 9, 2), sender="agent"
    )
    again = make_message(conversation, "今天不退，差评马上到", when=at(2026, 11, 20, 9, 5))
    make_message(conversation, "好的再见", when=at(2026, 11, 20, 9, 6))
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    log_in(specialist)
    browser.get(live_server.url + "/reviews/")
    browser.find_element(By.LINK_TEXT, "客服不给退款，差评！<b>假货</b>").click()
    shown = browser.find_element(By.CSS_SELECTOR, "[data-testid=review-text]")
    assert "<b>假货</b>" in shown.text and not shown.find_elements(By.TAG_NAME, "b")

    browser.find_element(By.NAME, "kind").send_keys("给买家的消息")
    browser.find_element(By.NAME, "text").send_keys("你好，我们肯定给你处理好")
    # Each keystroke's check swaps #draft-findings: an element found just before a swap
    # is stale when read, so look again.
    WebDriverWait(browser, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda b: "绝对承诺" in b.find_element(By.ID, "draft-findings").text
    )
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center'})", browser.find_element(By.ID, "draft")
    )
    screenshot("draft-findings")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=save-draft]").click()
    assert "规范提示" in browser.find_element(By.CLASS_NAME, "flash").text

    browser.find_element(By.CSS_SELECTOR, "#extortion [name=note]").send_keys(
        "要求退200元，否则差评"
    )
    browser.find_element(By.CSS_SELECTOR, "[data-testid=mark-extortion]").click()
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=candidate-{threat.pk}]").click()
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=candidate-{again.pk}]").click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=save-evidence]").click()

    # Saving swaps the evidence list: one found before the swap is stale when read.
    def saved_evidence(b):
        text = b.find_element(By.CSS_SELECTOR, "[data-testid=evidence]").text
        return text if threat.text in text else None

    evidence = WebDriverWait(
        browser, 10, ignored_exceptions=[StaleElementReferenceException]
    ).until(saved_evidence)
    assert threat.text in evidence and again.text in evidence and "好的再见" not in evidence
    screenshot("evidence-selected")

    browser.find_element(By.CSS_SELECTOR, "[data-testid=download-pack]").click()
    packs = WebDriverWait(browser, 10).until(lambda _: list(tmp_path.glob("evidence-*.zip")))
    archive = zipfile.ZipFile(io.BytesIO(packs[0].read_bytes()))
    text = archive.read("messages.txt").decode()
    assert text.splitlines() == [
        f"[2026-11-20 09:01:00] [旺旺·已验证（平台消息）] tb8837261_11: {threat.text}",
        f"[2026-11-20 09:05:00] [旺旺·已验证（平台消息）] tb8837261_11: {again.text}",
    ]
    summary = tmp_path / "summary.html"
    summary.write_bytes(archive.read("summary.html"))
    browser.get(summary.as_uri())
    assert "不退我200块就给差评" in browser.find_element(By.TAG_NAME, "table").text
    screenshot("pack-summary")
    assert EvidenceMessage.objects.filter(review=review).count() == 2
    assert ReplyDraft.objects.get().findings
