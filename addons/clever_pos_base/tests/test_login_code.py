import re

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.mail.tests.common import MockEmail

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestLoginCode(MockEmail, HttpCase):
    """Managers, accountants and administrators confirm their login with a code sent by e-mail;
    the till's roles log in with phone and password only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.ref("base.demo_company_kz", raise_if_not_found=False) or cls.env.company
        # The demo manager of "make run"; the same user when the database has no demo data.
        cls.manager = cls.env.ref("clever_pos_base.user_manager_demo", raise_if_not_found=False) or new_test_user(
            cls.env,
            login="manager",
            groups="clever_pos_base.group_clever_manager",
            company_id=company.id,
            company_ids=[company.id],
            email="manager@alma-market.kz",
        )
        cls.manager.password = "manager"
        cls.company = cls.manager.company_id
        cls.company.clever_login_code_required = True
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"code_{role}",
                password=f"code_{role}_pw",
                email=f"code_{role}@alma-market.kz",
                groups=f"clever_pos_base.group_clever_{role}",
                company_id=cls.company.id,
                company_ids=[cls.company.id],
            )
            for role in ("cashier", "courier", "storekeeper", "accountant", "manager", "admin")
        }

    # ------------------------------------------------------------------

    def _post_login(self, login, password):
        page = self.url_open("/web/login")
        csrf = CSRF.search(page.text).group(1)
        return self.url_open(
            "/web/login", data={"login": login, "password": password, "csrf_token": csrf}, allow_redirects=False
        )

    def _code_page(self, login, password):
        """Log in with the password; land on the code page, which sends the code by e-mail."""
        response = self._post_login(login, password)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login/totp", response.headers["Location"])
        with self.mock_mail_gateway():
            page = self.url_open(response.headers["Location"], allow_redirects=False)
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="totp_token"', page.text)
        return page

    def _mailed_code(self):
        self.env.invalidate_all()
        template = self.env.ref("auth_totp_mail.mail_template_totp_mail_code").with_context(lang=self.manager.lang)
        mail = self.env["mail.mail"].sudo().search(
            [("email_to", "ilike", self.manager.email), ("subject", "=", template.subject)],
            order="id desc",
            limit=1,
        )
        self.assertTrue(mail, "the code goes out by e-mail")
        return re.search(r">\s*(\d{6})\s*<", str(mail.body_html)).group(1)

    def _in_backend(self):
        return self.url_open("/odoo", allow_redirects=False).status_code == 200

    # ------------------------------------------------------------------

    def test_manager_logs_in_with_the_code_from_the_mail(self):
        page = self._code_page("manager", "manager")
        self.assertFalse(self._in_backend(), "the password alone does not open the backend")
        code = self._mailed_code()
        response = self.url_open(
            "/web/login/totp",
            data={"totp_token": code, "csrf_token": CSRF.search(page.text).group(1)},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/odoo", response.headers["Location"])
        self.assertTrue(self._in_backend())
        info = self.make_jsonrpc_request("/web/session/get_session_info")
        self.assertEqual(info["uid"], self.manager.id)

    def test_a_wrong_code_is_refused(self):
        page = self._code_page("manager", "manager")
        code = self._mailed_code()
        wrong = "000000" if code != "000000" else "000001"
        with self.mock_mail_gateway():
            response = self.url_open(
                "/web/login/totp",
                data={"totp_token": wrong, "csrf_token": CSRF.search(page.text).group(1)},
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 200, "back on the code page")
        self.assertIn("alert-danger", response.text)
        self.assertFalse(self._in_backend())

    def test_cashier_logs_in_with_the_phone_and_password_only(self):
        cashier = self.users["cashier"]
        cashier.partner_id.write({"phone": "+7 702 900 11 22", "country_id": self.env.ref("base.kz").id})
        with self.mock_mail_gateway():
            response = self._post_login("8 702 900 11 22", "code_cashier_pw")
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("/web/login/totp", response.headers["Location"])
        self.assertTrue(self._in_backend())
        self.assertFalse(
            self.env["mail.mail"].sudo().search_count([("email_to", "ilike", cashier.email)]), "no code, no mail"
        )

    def test_policy_by_role_setting_and_app(self):
        expected = dict.fromkeys(("cashier", "courier", "storekeeper"))
        expected |= dict.fromkeys(("accountant", "manager", "admin"), "totp_mail")
        self.assertEqual({role: user._mfa_type() for role, user in self.users.items()}, expected)
        # A manager who is also a cashier is still a manager.
        self.users["cashier"].group_ids = [Command.link(self.env.ref("clever_pos_base.group_clever_manager").id)]
        self.assertEqual(self.users["cashier"]._mfa_type(), "totp_mail")
        # An authenticator app takes over from the mail.
        self.users["manager"].sudo().totp_secret = "JBSWY3DPEHPK3PXP"
        self.assertEqual(self.users["manager"]._mfa_type(), "totp")
        # The shop turns the policy off in its settings.
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertTrue(settings.clever_login_code_required)
        settings.clever_login_code_required = False
        settings.execute()
        self.assertIsNone(self.users["accountant"]._mfa_type())

    def test_test_sessions_and_tours_still_log_in_directly(self):
        # HttpCase.authenticate() (and start_tour(login=...)) writes the session itself: no code.
        self.authenticate("manager", "manager")
        self.assertTrue(self._in_backend())
