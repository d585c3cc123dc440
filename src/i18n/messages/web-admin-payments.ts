// Texts of the admin panel's order page (web/admin/payments.*): money facts, the refund form, reconcile,
// the provider's record and the outcome of each action.
import type { Catalogue } from "../index";

export const webAdminPaymentsMessages: Catalogue = {
  webadmin_pay_refund_amount: { ru: "Сумма (часть)", en: "Amount (a part)" },
  webadmin_pay_refund_all: { ru: "вся оставшаяся", en: "all that is left" },
  webadmin_pay_refund: { ru: "Вернуть через провайдера", en: "Refund through the provider" },
  webadmin_pay_reconcile: { ru: "Сверить сейчас", en: "Reconcile now" },
  webadmin_pay_provider_record: { ru: "Что провайдер говорит сейчас", en: "What the provider says now" },
  webadmin_pay_settlement: {
    ru: "Наши возвраты и записи журнала токенов",
    en: "Our refunds and ledger rows",
  },
  webadmin_pay_stored: { ru: "Заказ, как он хранится", en: "The order as stored" },
  webadmin_pay_refunded: { ru: "Возвращено (возвратов)", en: "Refunded (refunds)" },
  webadmin_pay_buyer_balance: { ru: "Баланс покупателя, токены", en: "Buyer's balance, tokens" },
  webadmin_pay_tokens_taken: { ru: "Списано / причиталось", en: "Taken / due" },
  webadmin_pay_ref: { ru: "Ключ", en: "Ref" },
  webadmin_pay_note: { ru: "Примечание", en: "Note" },
  webadmin_pay_reason_needed: {
    ru: "Укажите причину возврата — она попадёт в журнал аудита.",
    en: "Give the refund's reason — it goes into the audit log.",
  },
  webadmin_pay_amount_bad: {
    ru: "Сумма — число вроде 250 или 250.00; пусто — вернуть всё оставшееся.",
    en: "The amount is a number like 250 or 250.00; empty refunds all that is left.",
  },
  webadmin_pay_outcome_refunded: {
    ru: "Возвращено полностью. Баланс покупателя: {balance}.",
    en: "Refunded in full. The buyer's balance: {balance}.",
  },
  webadmin_pay_outcome_partial_refund: {
    ru: "Частичный возврат выполнен. Баланс покупателя: {balance}.",
    en: "Partial refund made. The buyer's balance: {balance}.",
  },
  webadmin_pay_outcome_pending: {
    ru: "Провайдер принял запрос и ещё обрабатывает его; результат придёт уведомлением.",
    en: "The provider accepted the request and is still processing it; the result arrives as a notification.",
  },
  webadmin_pay_outcome_duplicate: {
    ru: "Ничего не изменилось: это уже было сделано.",
    en: "Nothing changed: this was already done.",
  },
  webadmin_pay_outcome_credited: {
    ru: "Оплата подтверждена провайдером и зачислена. Баланс покупателя: {balance}.",
    en: "The provider confirms the payment; it is credited. The buyer's balance: {balance}.",
  },
  webadmin_pay_outcome_canceled: {
    ru: "Провайдер сообщает, что платёж отменён; заказ закрыт.",
    en: "The provider says the payment was canceled; the order is closed.",
  },
  webadmin_pay_outcome_mismatch: {
    ru: "Данные провайдера не совпадают с заказом — ничего не зачислено, подробности в журнале.",
    en: "The provider's data do not match the order — nothing credited; see the log.",
  },
  webadmin_pay_outcome_unknown: {
    ru: "Провайдер не знает этот платёж — ничего не изменено.",
    en: "The provider does not know this payment — nothing changed.",
  },
};
