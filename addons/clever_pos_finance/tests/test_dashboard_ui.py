from odoo.tests import HttpCase, tagged

from .common import CleverFinanceCase

DASHBOARD_JS = """
(async () => {
    const until = async (selector) => {
        for (let i = 0; i < 200; i++) {
            const element = document.querySelector(selector);
            if (element) {
                return element;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error("not found: " + selector);
    };
    await until(".o_clever_finance_dashboard .o_clever_card_revenue");
    const revenue = document.querySelector(".o_clever_card_revenue .o_clever_card_value").textContent;
    if (!revenue.replace(/[^0-9]/g, "").startsWith("2320")) {
        throw new Error("revenue shown: " + revenue);
    }
    const accounts = document.querySelectorAll(".o_clever_account_row");
    if (accounts.length < 4) {
        throw new Error("money accounts shown: " + accounts.length);
    }
    (await until(".o_clever_period[data-period='month']")).click();
    await until(".o_clever_period.btn-primary[data-period='month']");
    document.querySelector(".o_clever_card_sales").click();
    await until(".o_list_view .o_data_row");
    console.log("test successful");
})();
"""


@tagged("post_install", "-at_install")
class TestDashboardUi(CleverFinanceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        session = cls.open_session(user=cls.cashier)
        cls.sell(session, [(cls.water, 2)], [(cls.pm_cash, 2320.0)])

    def test_manager_opens_the_dashboard_and_a_figure(self):
        self.browser_js(
            "/odoo/action-clever_pos_finance.clever_finance_dashboard_action",
            DASHBOARD_JS,
            login=self.manager.login,
            timeout=180,
        )
