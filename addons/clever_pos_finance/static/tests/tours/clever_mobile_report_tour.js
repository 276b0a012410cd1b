import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("clever_mobile_report_tour", {
    steps: () => [
        {
            content: "Today's revenue: 2 × 1 160 + 580",
            trigger: ".o_clever_mobile_report .o_clever_mr_revenue:contains('2'):contains('900')",
        },
        {
            content: "Two receipts",
            trigger: ".o_clever_mr_count:contains('2')",
        },
        {
            content: "The safe's cash",
            trigger: ".o_clever_mr_account:contains('Сейф'):contains('50')",
        },
        {
            content: "One product below its minimum",
            trigger: ".o_clever_mr_low_count:contains('1')",
        },
        {
            content: "One delivery open",
            trigger: ".o_clever_mr_deliveries:contains('1')",
        },
    ],
});
