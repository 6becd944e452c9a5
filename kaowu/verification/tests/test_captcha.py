from kaowu.verification.captcha import captcha_answer, captcha_check, captcha_image, captcha_new


def test_a_captcha_is_accepted_once_and_case_insensitively(db):
    key = captcha_new()
    answer = captcha_answer(key)
    assert captcha_check(key, answer.lower()) is True
    assert captcha_check(key, answer) is False


def test_a_wrong_answer_uses_up_the_challenge(db):
    key = captcha_new()
    answer = captcha_answer(key)
    assert captcha_check(key, "XXXX") is False
    assert captcha_check(key, answer) is False


def test_captcha_image_is_a_png_and_the_page_can_fetch_it(client, db):
    key = captcha_new()
    assert captcha_image(captcha_answer(key)).startswith(b"\x89PNG")
    response = client.get(f"/verify/captcha/{key}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get("/verify/captcha/unknown.png").status_code == 404
