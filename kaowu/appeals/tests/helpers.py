from kaowu.accounts.tests.helpers import captcha_key


def identify(client, captcha_solver, user):
    key = captcha_key(client.get("/appeals/").content.decode())
    response = client.post("/appeals/", {"id_number": user.id_number, "real_name": user.real_name,
                                         "captcha_0": key, "captcha_1": captcha_solver(key)})
    assert response.status_code == 302 and response["Location"] == "/appeals/choose/", response.content.decode()[:3000]


def send_code(client, captcha_solver, page_url, phone):
    key = captcha_key(client.get(page_url).content.decode())
    sent = client.post("/verify/sms/appeal_new_phone/", {"phone": phone, "captcha_0": key,
                                                          "captcha_1": captcha_solver(key)}).content.decode()
    return sent
