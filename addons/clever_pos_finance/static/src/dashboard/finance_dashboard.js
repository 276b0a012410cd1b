import { Component, onWillStart, useState } from "@odoo/owl";
import { formatCurrency } from "@web/core/currency";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The manager's home screen: today's (this week's, this month's) figures against the same
 * stretch of the period before; each figure opens the records behind it. The numbers come
 * from clever.finance.dashboard.get_dashboard_data (a few grouped SQL queries).
 */
export class FinanceDashboard extends Component {
    static template = "clever_pos_finance.FinanceDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ period: "day", data: null, loading: true });
        onWillStart(() => this.load("day"));
    }

    get periods() {
        return [
            { key: "day", label: _t("Today") },
            { key: "week", label: _t("This week") },
            { key: "month", label: _t("This month") },
        ];
    }

    get compareLabel() {
        return {
            day: _t("vs. yesterday at this time"),
            week: _t("vs. last week at this point"),
            month: _t("vs. last month at this point"),
        }[this.state.period];
    }

    async load(period) {
        this.state.loading = true;
        this.state.data = await this.orm.call("clever.finance.dashboard", "get_dashboard_data", [period]);
        this.state.period = period;
        this.state.loading = false;
    }

    format(value, kind = "money") {
        if (kind === "int") {
            return String(value ?? 0);
        }
        return formatCurrency(value ?? 0, this.state.data.currency_id);
    }

    deltaClass(card) {
        if (card.delta === null || card.delta === undefined || card.delta === 0) {
            return "text-muted";
        }
        const good = card.tone === "bad" ? card.delta < 0 : card.delta > 0;
        return good ? "text-success" : "text-danger";
    }

    deltaText(card) {
        if (card.delta === null || card.delta === undefined) {
            return "";
        }
        const sign = card.delta > 0 ? "+" : "";
        return `${sign}${card.delta}%`;
    }

    async open(key, resId = null) {
        const action = await this.orm.call("clever.finance.dashboard", "open_figure", [key, this.state.period, resId]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("clever_pos_finance.dashboard", FinanceDashboard);
