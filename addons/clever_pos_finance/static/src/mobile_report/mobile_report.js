import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The owner's phone page: today's sales and receipts, cash per money account, low stock and
 * open work, from one call (clever.finance.mobile.report.get_mobile_report).
 */
export class MobileReport extends Component {
    static template = "clever_pos_finance.MobileReport";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.state = useState({ data: null, loading: true });
        onWillStart(() => this.load());
    }

    async load() {
        this.state.loading = true;
        this.state.data = await this.orm.call("clever.finance.mobile.report", "get_mobile_report", []);
        this.state.loading = false;
    }
}

registry.category("actions").add("clever_pos_finance.mobile_report", MobileReport);
