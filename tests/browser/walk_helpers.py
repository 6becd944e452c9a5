"""What the browser walks do again and again, as a person would: log in through the real form
(captcha read off the page) and log out with the header's button."""

from kaowu.testing.factories import TEST_PASSWORD


def log_in(page, solve_captcha, url, identifier, button):
    page.goto(url)
    page.locator("#id_identifier").fill(identifier)
    page.locator("#id_password").fill(TEST_PASSWORD)
    solve_captcha(page.locator("main form"))
    page.locator("main form").get_by_role("button", name=button, exact=True).click()


def log_out(page):
    page.get_by_role("button", name="安全退出").click()
