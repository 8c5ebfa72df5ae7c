import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { axe } from 'vitest-axe';
import { renderWithPacs } from '../../test/render.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { createFixtureWorkflow } from '../testing/createFixtureWorkflow.js';
import { OrderCreateForm, OrderDetail } from './OrderManagement.js';

const client = createFixtureAdapter();

describe('OrderManagement', () => {
  it('creates an order', async () => {
    const workflow = createFixtureWorkflow({ mode: 'empty' });
    const onCreated = vi.fn();
    const { container } = renderWithPacs(<OrderCreateForm onCreated={onCreated} />, client, { workflow });
    await userEvent.type(screen.getByLabelText('Patient ID'), 'P-42');
    await userEvent.type(screen.getByLabelText('Patient name'), 'Doe^Jane');
    await userEvent.selectOptions(screen.getByLabelText('Modality'), 'MR');
    await userEvent.type(screen.getByLabelText('Body part'), 'KNEE');
    await userEvent.selectOptions(screen.getByLabelText('Urgency'), 'stat');
    await userEvent.click(screen.getByRole('button', { name: 'Create order' }));
    expect(await screen.findByRole('status')).toHaveTextContent(/Order ACCN\d+ created/);
    expect(workflow.orderList[0]).toMatchObject({
      patientId: 'P-42',
      patientName: 'Doe^Jane',
      modality: 'MR',
      bodyPart: 'KNEE',
      urgency: 'stat',
    });
    expect(onCreated).toHaveBeenCalledWith(expect.objectContaining({ patientId: 'P-42' }));
    expect(await axe(container)).toHaveNoViolations();
  });

  it('cancels an order with a reason and shows it in the status history', async () => {
    const workflow = createFixtureWorkflow();
    const { container } = renderWithPacs(<OrderDetail orderId="order-1" />, client, { workflow });
    expect(await screen.findByRole('heading', { name: /ACC000001/ })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText('Reason for cancelling'), 'patient declined');
    await userEvent.click(screen.getByRole('button', { name: 'Cancel order' }));
    const history = await screen.findByRole('list');
    expect(await within(history).findByText('Cancelled')).toBeInTheDocument();
    expect(history).toHaveTextContent('patient declined');
    expect(screen.getByRole('button', { name: 'Cancel order' })).toBeDisabled();
    expect(await axe(container)).toHaveNoViolations();
  });

  it('moves an order to its next status', async () => {
    const workflow = createFixtureWorkflow();
    renderWithPacs(<OrderDetail orderId="order-1" />, client, { workflow });
    // order-1 is scheduled: the next step is "arrived".
    await userEvent.click(await screen.findByRole('button', { name: 'Mark Arrived' }));
    await vi.waitFor(() => expect(workflow.orderList[0]!.status).toBe('arrived'));
    expect(await screen.findByRole('button', { name: 'Mark In progress' })).toBeEnabled();
  });

  it('shows CONFLICT when cancelling a completed order fails', async () => {
    const workflow = createFixtureWorkflow();
    const cancel = workflow.orders.cancel;
    workflow.orders.cancel = (id, options) => cancel(id === 'order-1' ? 'order-6' : id, options);
    renderWithPacs(<OrderDetail orderId="order-1" />, client, { workflow });
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('CONFLICT');
  });
});
