import re

from odoo.exceptions import AccessDenied
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPhoneLogin(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="phone_manager", password="phone_manager_pw", groups="clever_pos_base.group_clever_manager"
        )
        cls.manager.partner_id.write({"phone": "8 701 765 43 21", "country_id": cls.env.ref("base.kz").id})
        # Phone login only: the code by e-mail that managers get at login is tested in test_login_code.py.
        cls.manager.company_id.clever_login_code_required = False

    def test_manager_logs_in_with_phone_in_any_spelling(self):
        for typed in ("8 701 765 43 21", "+7 (701) 765-43-21", "7017654321", "phone_manager"):
            with self.subTest(typed=typed):
                self.authenticate(typed, "phone_manager_pw")
                self.assertEqual(self.session.uid, self.manager.id)
                self.logout()

    def _check(self, login, password):
        credential = {"login": login, "password": password, "type": "password"}
        return self.env["res.users"].authenticate(credential, {"interactive": False})["uid"]

    def test_password_is_still_checked_with_a_phone(self):
        self.assertEqual(self._check("8 701 765 43 21", "phone_manager_pw"), self.manager.id)
        with self.assertRaises(AccessDenied):
            self._check("8 701 765 43 21", "wrong")

    def test_unknown_phone_is_refused(self):
        with self.assertRaises(AccessDenied):
            self._check("8 701 000 00 99", "phone_manager_pw")

    def test_login_form_with_phone_opens_the_web_client(self):
        page = self.url_open("/web/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/web/login",
            data={"login": "+7 701 765 43 21", "password": "phone_manager_pw", "csrf_token": csrf},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/odoo", response.headers["Location"])
